package factory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/lumen-rt/lumen/exporters"
	"github.com/lumen-rt/lumen/exporters/internal/exportertest"
	"github.com/lumen-rt/lumen/exporters/internal/factory"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type fake struct {
	g        prometheus.Gatherer
	drops    exporters.DropCounter
	instance string
}

func (*fake) ForceFlush(context.Context) error { return nil }
func (*fake) Shutdown(context.Context) error   { return nil }

type option func(*fake)

func withDrops(d exporters.DropCounter) option { return func(f *fake) { f.drops = d } }

func TestMetrics(t *testing.T) {
	errBad := errors.New("bad config")
	tests := []struct {
		name    string
		err     error
		wantErr error
	}{
		{name: "built"},
		{name: "constructor error", err: errBad, wantErr: errBad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newFake := func(g prometheus.Gatherer, opts ...option) (*fake, error) {
				if tt.err != nil {
					return nil, tt.err
				}
				f := &fake{g: g}
				for _, o := range opts {
					o(f)
				}
				return f, nil
			}
			reg, drops := exportertest.NewRegistry(), &exportertest.Drops{}
			fromConfig := func(cfg exporters.Config) []option {
				return []option{func(f *fake) { f.instance = cfg.Instance }}
			}
			exp, err := factory.Metrics(newFake, withDrops, fromConfig)(t.Context(), exporters.Config{Drops: drops, Gatherer: reg, Instance: "env-1"})
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				require.Nil(t, exp, "an untyped nil, not a nil *fake")
				return
			}
			require.NoError(t, err)
			f, ok := exp.(*fake)
			require.True(t, ok)
			require.Same(t, reg, f.g)
			require.Same(t, drops, f.drops)
			require.Equal(t, "env-1", f.instance, "options derived from the Config are passed")
		})
	}
}
