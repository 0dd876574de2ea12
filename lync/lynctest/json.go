package lynctest

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// convertToJSON is `ConvertTo-Json -InputObject $o -Depth 4 -Compress` of
// Windows PowerShell 5.1 for the reader's values: enums as numbers, dates as
// "\/Date(ms)\/", objects deeper than depth as their [string].
func convertToJSON(v any, depth int) string {
	var b strings.Builder
	writeJSON(&b, v, 0, depth)
	return b.String()
}

func writeJSON(b *strings.Builder, v any, level, depth int) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case psEnum:
		b.WriteString(strconv.Itoa(x.num))
	case psDate:
		writeJSONString(b, `\/Date(`+strconv.FormatInt(time.Time(x).UnixMilli(), 10)+`)\/`)
	case []any:
		if level > depth {
			writeJSONString(b, toString(x))
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e, level+1, depth)
		}
		b.WriteByte(']')
	case psIdentity:
		writeJSON(b, identityObject(x), level, depth)
	case psDict:
		o := &psObject{}
		for _, k := range x.keys {
			o.props = append(o.props, psProp{k, psIdentity(k)})
		}
		writeJSON(b, o, level, depth)
	case *psObject:
		if level > depth {
			writeJSONString(b, toString(x))
			return
		}
		b.WriteByte('{')
		for i, p := range x.props {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, p.name)
			b.WriteByte(':')
			writeJSON(b, p.val, level+1, depth)
		}
		b.WriteByte('}')
	default:
		writeJSONString(b, toString(x))
	}
}

// identityObject is what ConvertTo-Json shows of a raw Lync identity: an
// object, not the string a [string] cast gives (so a client that forgets the
// cast notices).
func identityObject(id psIdentity) *psObject {
	s := string(id)
	scope, rest := "Global", s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		scope, rest = s[:i], s[i+1:]
	}
	return newObject("Microsoft.Rtc.Management.Core.XdsIdentity", "Scope", scope, "Name", rest)
}

// writeJSONString writes s as JavaScriptSerializer does: with <, >, &, '
// escaped as \u00XX (encoding/json escapes the first three).
func writeJSONString(b *strings.Builder, s string) {
	raw, _ := json.Marshal(s)
	b.WriteString(strings.ReplaceAll(string(raw), "'", `\u0027`))
}
