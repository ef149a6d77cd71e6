package runtimetest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lumen-rt/lumen/runtime"
	"github.com/lumen-rt/lumen/runtime/runtimetest"
)

func TestStart(t *testing.T) {
	t.Parallel()
	srv := runtimetest.Start(t, func(_ context.Context, in struct{ Name string }) (string, error) {
		if in.Name == "" {
			return "", errors.New("no name")
		}
		return "hello " + in.Name, nil
	}, runtime.WithMaxConcurrency(2))
	require.NoError(t, srv.Await(t.Context(), runtimetest.Polling(2)), "options reach the runtime")

	res, err := srv.Invoke(t.Context(), []byte(`{"Name":"Ada"}`))
	require.NoError(t, err)
	require.Equal(t, `"hello Ada"`, string(res.Body))

	res, err = srv.Invoke(t.Context(), []byte(`{}`))
	require.NoError(t, err)
	require.True(t, res.Failed())
	require.Equal(t, "Function.ErrorString", res.ErrorType)
	select {
	case <-srv.Exited():
		t.Fatal("the runtime exited")
	default:
	}
}

func TestStartRuntimeExits(t *testing.T) {
	t.Parallel()
	t.Run("init error", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.Start(t, func(int, int) {})
		_, err := srv.Invoke(t.Context(), []byte(`{}`))
		require.ErrorIs(t, err, runtimetest.ErrRuntimeExited)
		initErr, ok := errors.AsType[*runtime.InitError](err)
		require.True(t, ok, "%v", err)
		require.Equal(t, runtime.ErrorTypeInvalidHandler, initErr.Type)
		<-srv.Exited()
		require.ErrorAs(t, srv.Err(), &initErr)
		require.Len(t, srv.InitErrors(), 1)
	})
	t.Run("panic", func(t *testing.T) {
		t.Parallel()
		srv := runtimetest.Start(t, func() { panic("boom") })
		res, err := srv.Invoke(t.Context(), []byte(`{}`))
		require.NoError(t, err)
		require.Equal(t, runtime.ErrorTypePanic, res.ErrorType)
		_, err = srv.Invoke(t.Context(), []byte(`{}`))
		require.ErrorIs(t, err, runtimetest.ErrRuntimeExited)
		_, ok := errors.AsType[*runtime.PanicError](srv.Err())
		require.True(t, ok, "%v", srv.Err())
	})
}

func TestServerWithoutStart(t *testing.T) {
	t.Parallel()
	srv := runtimetest.NewServer()
	defer srv.Close()
	require.Nil(t, srv.Exited())
	require.NoError(t, srv.Err())
}
