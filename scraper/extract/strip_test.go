package extract

import (
	"io"
	"testing"
)

func TestStripRaw(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"script style svg comment", `<p>a<script>x<y</script><style>p{}</style><svg><g/></svg><!-- c --></p>`,
			`<p>a<script></script><style></style><svg></svg></p>`},
		{"json-ld kept whole", `<script type="application/ld+json" data-x="1">{"a":"<p data-y=\"2\">"}</script>`,
			`<script type="application/ld+json">{"a":"<p data-y=\"2\">"}</script>`},
		{"unread attributes dropped", `<img src="a.jpg" srcset="a 1x, b 2x" class="wide" alt='x > y' data-id=7 loading=lazy>`,
			`<img class="wide">`},
		{"hiding style kept, others dropped", `<div style="color:red">a</div><div style="display: none">b</div>`,
			`<div>a</div><div style="display: none">b</div>`},
		{"attributes glued to a quoted value stay", `<a href="x"title="y" id=z>t</a>`, `<a href="x"title="y" id=z>t</a>`},
		{"valueless and self-closing", `<input disabled hidden/><br/>`, `<input hidden/><br/>`},
		{"raw text is not scanned", `<title>a <b data-x="1"> c</title><textarea><i onclick="f()"></textarea>`,
			`<title>a <b data-x="1"> c</title><textarea><i onclick="f()"></textarea>`},
		{"unterminated quote leaves the rest", `<a data-x="1 href="y">t`, `<a data-x="1 href="y">t`},
		{"indentation shrinks", "<div>\n    <p>a  b</p>\n\n  </div> <!-- c -->\n\t<p>", "<div>\n<p>a  b</p>\n</div> \n<p>"},
		{"pre keeps its white space", "<pre>\n  x\n    y</pre>\n  <p>", "<pre>\n  x\n    y</pre>\n<p>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := io.ReadAll(stripRaw([]byte(tc.in), true))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if all, _ := io.ReadAll(stripRaw([]byte(tc.in), false)); len(all) < len(got) {
				t.Errorf("without attrs: %s", all)
			}
		})
	}
}
