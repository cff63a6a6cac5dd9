-- Login tries per client address, shared by every serve instance on the
-- store (a generic cell rate algorithm): tat is the theoretical arrival
-- time, in unix nanoseconds, after which the address has its whole burst
-- again. Rows whose tat has passed hold nothing and are pruned.
CREATE TABLE login_throttle (
    addr TEXT PRIMARY KEY,
    tat  BIGINT NOT NULL
);
CREATE INDEX login_throttle_tat ON login_throttle (tat);
