package lynctest

import "strings"

// checkScript refuses shapes the subset does not have: Select-Object and
// Where-Object only after a pipe, Select-Object only as -Property <items>,
// Where-Object only in its simplified comparison form; bare words, lists and
// hash literals only there.
func checkScript(sc *script) error {
	return sc.walk(checkPipeline)
}

func checkPipeline(pl *pipeline) error {
	for i, c := range pl.cmds {
		isSelect := strings.EqualFold(c.name, "Select-Object")
		isWhere := strings.EqualFold(c.name, "Where-Object")
		if i > 0 && !isSelect && !isWhere {
			return &parseError{c.pos, "Only Select-Object or Where-Object may follow a pipe in the supported subset."}
		}
		if isSelect {
			if i == 0 || len(c.elems) != 2 || !strings.EqualFold(c.elems[0].param, "Property") ||
				c.elems[0].colon || c.elems[1].param != "" || !selectItems(c.elems[1].value) {
				return &parseError{c.pos, "Select-Object is supported only as: Select-Object -Property <items>."}
			}
			continue
		}
		if isWhere {
			if _, ok := whereShape(c); i == 0 || !ok {
				return &parseError{c.pos, "Where-Object is supported only as: Where-Object -Property <Name> -EQ|-NE|-In -Value <value>."}
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
	return nil
}

// whereFilter is Where-Object -Property <prop> -<op> -Value <value>.
type whereFilter struct {
	prop, op string // op lower case: eq, ne, in
	value    any
}

// whereShape reads the one Where-Object shape of the subset.
func whereShape(c *command) (whereFilter, bool) {
	e := c.elems
	if len(e) != 5 || !strings.EqualFold(e[0].param, "Property") || e[0].colon || e[1].param != "" ||
		e[2].param == "" || e[2].colon || !strings.EqualFold(e[3].param, "Value") || e[3].colon || e[4].param != "" {
		return whereFilter{}, false
	}
	var prop string
	switch v := e[1].value.(type) {
	case word:
		prop = string(v)
	case string:
		prop = v
	default:
		return whereFilter{}, false
	}
	op := strings.ToLower(e[2].param)
	if op != "eq" && op != "ne" && op != "in" {
		return whereFilter{}, false
	}
	switch e[4].value.(type) {
	case list, word, calcProp:
		return whereFilter{}, false
	}
	return whereFilter{prop: prop, op: op, value: e[4].value}, true
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
