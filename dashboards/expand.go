package dashboards

import (
	"regexp"
)

// variableRef matches $name, ${name} and ${name:format} references.
var variableRef = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)`)

// Expand replaces the Grafana variables in a query ($name, ${name},
// ${name:format}) with values from vars, the way Grafana does before it sends
// the query, so that the query can be parsed or run outside Grafana. Names
// include the built-ins, e.g. "__rate_interval" and "__range". References
// to names missing from vars are left as they are.
func Expand(expr string, vars map[string]string) string {
	return variableRef.ReplaceAllStringFunc(expr, func(ref string) string {
		m := variableRef.FindStringSubmatch(ref)
		name := m[1]
		if name == "" {
			name = m[2]
		}
		if v, ok := vars[name]; ok {
			return v
		}
		return ref
	})
}
