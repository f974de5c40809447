package httpx_test

import (
	"log/slog"
	"os"
	"testing"
)

// defaultLog receives what httpx logs through slog's default logger (the
// causes of 5xx problems).
var defaultLog = &syncBuffer{}

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewJSONHandler(defaultLog, nil)))
	os.Exit(m.Run())
}
