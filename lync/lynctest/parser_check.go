package lynctest

import "strings"

// checkScript refuses shapes the subset does not have: Select-Object only
// after a pipe and only as -Property <items>; bare words, lists and hash
// literals only there.
func checkScript(sc *script) error {
	for _, st := range sc.stmts {
		for i, c := range st.pipe.cmds {
			isSelect := strings.EqualFold(c.name, "Select-Object")
			if i > 0 && !isSelect {
				return &parseError{c.pos, "Only Select-Object may follow a pipe in the supported subset."}
			}
			if isSelect {
				if i == 0 || len(c.elems) != 2 || !strings.EqualFold(c.elems[0].param, "Property") ||
					c.elems[0].colon || c.elems[1].param != "" || !selectItems(c.elems[1].value) {
					return &parseError{c.pos, "Select-Object is supported only as: Select-Object -Property <items>."}
				}
				continue
			}
			for _, e := range c.elems {
				switch e.value.(type) {
				case list, word, calcProp:
					return &parseError{e.pos, "Only literals and @(...) arrays are supported as parameter values."}
				}
			}
		}
	}
	return nil
}

func selectItems(v any) bool {
	items, ok := v.(list)
	if !ok {
		items = list{v}
	}
	for _, it := range items {
		switch it.(type) {
		case word, string, calcProp:
		default:
			return false
		}
	}
	return true
}

// valueText renders a value the way PowerShell names an argument in messages.
func valueText(v any) string {
	switch x := v.(type) {
	case word:
		return string(x)
	case []any, list:
		return "System.Object[]"
	case calcProp:
		return "System.Collections.Hashtable"
	}
	return toString(v) // nil, strings and booleans as [string] renders them
}
