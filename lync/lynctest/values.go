package lynctest

import (
	"strconv"
	"strings"
	"time"
)

// The object model the reader's cmdlets produce. Values are: nil, string,
// bool, int64, int, []any, psEnum, psDate, psIdentity, *psObject, psDict.
type (
	psObject struct {
		typeName string
		props    []psProp
	}
	psProp struct {
		name string
		val  any
	}
	// psEnum is a .NET enum value: ConvertTo-Json writes num, [string] name.
	psEnum struct {
		name string
		num  int
	}
	// psDate is a System.DateTime.
	psDate time.Time
	// psIdentity is a Lync identity object (XdsIdentity, service id): its
	// [string] is text; ConvertTo-Json writes an object.
	psIdentity string
	// psDict is a dictionary whose Keys member enumerates names.
	psDict struct{ keys []string }
)

func newObject(typeName string, kv ...any) *psObject {
	o := &psObject{typeName: typeName}
	for i := 0; i+1 < len(kv); i += 2 {
		o.props = append(o.props, psProp{kv[i].(string), kv[i+1]})
	}
	return o
}

func (o *psObject) get(name string) (any, bool) {
	for _, p := range o.props {
		if strings.EqualFold(p.name, name) {
			return p.val, true
		}
	}
	return nil, false
}

// member returns v.name with PowerShell's member enumeration: on a
// collection it applies to every element and flattens.
func member(v any, name string) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		var out []any
		for _, e := range x {
			out = append(out, member(e, name)...)
		}
		return out
	case *psObject:
		val, _ := x.get(name)
		return enumerate(val)
	case psDict:
		switch strings.ToLower(name) {
		case "keys":
			out := make([]any, len(x.keys))
			for i, k := range x.keys {
				out[i] = k
			}
			return out
		case "count":
			return []any{int64(len(x.keys))}
		}
	case string:
		if strings.EqualFold(name, "Length") {
			return []any{int64(len([]rune(x)))}
		}
	}
	return nil
}

// enumerate turns a value into the objects it writes to the pipeline.
func enumerate(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// dateText is [string] of a DateTime: the invariant culture's "G" pattern.
const dateText = "01/02/2006 15:04:05"

// toString is PowerShell's [string] conversion.
func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case psEnum:
		return x.name
	case psDate:
		return time.Time(x).Format(dateText)
	case psIdentity:
		return string(x)
	case []any:
		// $OFS (a space) between elements; an element that is a collection
		// itself is not entered (PSObject.ToStringEnumerable renders it
		// with its .NET ToString).
		parts := make([]string, len(x))
		for i, e := range x {
			if _, nested := e.([]any); nested {
				parts[i] = "System.Object[]"
				continue
			}
			parts[i] = toString(e)
		}
		return strings.Join(parts, " ")
	case *psObject:
		return x.typeName
	case psDict:
		return "System.Collections.Generic.Dictionary`2[System.String,System.Management.Automation.ParameterMetadata]"
	}
	return ""
}

// castValue applies a calculated-property cast; a failed conversion is an
// InvalidCastException-style error record.
func castValue(v any, cast string) (any, *ErrorRecord) {
	switch cast {
	case "":
		return v, nil
	case "string":
		return toString(v), nil
	case "string[]":
		if v == nil {
			return nil, nil
		}
		items := enumerate(v)
		out := make([]any, len(items))
		for i, e := range items {
			out[i] = toString(e)
		}
		return out, nil
	case "bool":
		return toBool(v), nil
	case "int":
		return toInt(v)
	}
	return v, nil
}

func toBool(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	case int:
		return x != 0
	case int64:
		return x != 0
	case psEnum:
		return x.num != 0
	case []any:
		if len(x) == 1 {
			return toBool(x[0])
		}
		return len(x) > 0
	}
	return true
}

func toInt(v any) (any, *ErrorRecord) {
	switch x := v.(type) {
	case nil:
		return int64(0), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case psEnum:
		return int64(x.num), nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 32)
		if err == nil {
			return n, nil
		}
	}
	return nil, &ErrorRecord{
		Type:                  "System.Management.Automation.RuntimeException",
		Message:               `Cannot convert value "` + toString(v) + `" to type "System.Int32". Error: "Input string was not in a correct format."`,
		FullyQualifiedErrorId: "InvalidCastFromStringToInteger",
		Category:              "InvalidArgument",
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func equalFoldTrim(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
