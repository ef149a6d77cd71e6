package dashboards_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/dashboards"
)

func TestExpand(t *testing.T) {
	vars := map[string]string{"function": "a|b", "__rate_interval": "30s", "__range": "1h", "f": "x"}
	cases := []struct{ in, want string }{
		{`rate(x{faas_name=~"$function"}[$__rate_interval])`, `rate(x{faas_name=~"a|b"}[30s])`},
		{`x[${__range}] offset $__range`, `x[1h] offset 1h`},
		{`${function:regex}`, `a|b`},
		{`$f$function`, `xa|b`},
		{`$unknown and ${missing}`, `$unknown and ${missing}`},
		{`no variables`, `no variables`},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			require.Equal(t, c.want, dashboards.Expand(c.in, vars))
		})
	}
}
