package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// decode lays doc over cfg, strictly. The YAML decoder stops at the first
// problem, and `check` promises every problem at once: when the strict
// decode fails, decodeAll walks the document key by key and reports each
// unknown key and each value of the wrong type. A panic of the decoder on
// a malformed document (go-yaml 1.19 dereferences nil on some tagged nodes)
// becomes an error.
func decode(doc []byte, cfg *Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML parser failed on this document (%v); check its tags (!...) and indentation", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(doc), yaml.DisallowUnknownField())
	first := dec.Decode(cfg)
	if first == nil {
		return nil
	}
	if all := decodeAll(doc); len(all) > 1 {
		return errors.Join(all...)
	}
	return errors.New(yaml.FormatError(first, false, true))
}

// decodeAll returns every problem of doc against Config; nil when the
// document cannot be walked (the strict decoder's error stands then).
func decodeAll(doc []byte) []error {
	f, err := parser.ParseBytes(doc, 0)
	if err != nil || len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil
	}
	var cfg Config
	var errs []error
	walk(f.Docs[0].Body, reflect.ValueOf(&cfg).Elem(), "", &errs)
	return errs
}

// walk decodes node into v, descending into structs and slices of structs
// so that one bad key does not hide the next.
func walk(node ast.Node, v reflect.Value, path string, errs *[]error) {
	switch {
	case v.Kind() == reflect.Struct && !custom(v):
		pairs, ok := mappingPairs(node)
		if !ok {
			leaf(node, v, path, errs)
			return
		}
		for _, mv := range pairs {
			key := strings.TrimSpace(mv.Key.String())
			fv, ok := fieldByKey(v, key)
			if !ok {
				tk := mv.Key.GetToken()
				*errs = append(*errs, fmt.Errorf("%s: unknown key (line %d)", join(path, key), tk.Position.Line))
				continue
			}
			walk(mv.Value, fv, join(path, key), errs)
		}
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct && !custom(reflect.New(v.Type().Elem()).Elem()):
		seq, ok := node.(*ast.SequenceNode)
		if !ok {
			leaf(node, v, path, errs)
			return
		}
		s := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
		for i, el := range seq.Values {
			walk(el, s.Index(i), fmt.Sprintf("%s[%d]", path, i), errs)
		}
		v.Set(s)
	default:
		leaf(node, v, path, errs)
	}
}

// leaf decodes node into v with the strict decoder.
func leaf(node ast.Node, v reflect.Value, path string, errs *[]error) {
	if err := yaml.NodeToValue(node, v.Addr().Interface(), yaml.DisallowUnknownField()); err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, true)))
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func mappingPairs(node ast.Node) ([]*ast.MappingValueNode, bool) {
	switch n := node.(type) {
	case *ast.MappingNode:
		return n.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}, true
	}
	return nil, false
}

// custom reports whether v's type decodes itself.
func custom(v reflect.Value) bool {
	p := v.Addr().Interface()
	_, a := p.(yaml.InterfaceUnmarshaler)
	_, b := p.(yaml.BytesUnmarshaler)
	return a || b
}

// fieldByKey finds the struct field a YAML key names.
func fieldByKey(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == key {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}
