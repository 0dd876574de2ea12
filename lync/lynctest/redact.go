package lynctest

import (
	"fmt"
	"log/slog"
)

var (
	_ fmt.Stringer   = Config{}
	_ fmt.GoStringer = Config{}
	_ slog.LogValuer = Config{}
)

// String describes the configuration without its password.
func (c Config) String() string {
	return fmt.Sprintf("lynctest.Config{Product: %v, RouteParameter: %q, Sites: %d, Pools: %d, Username: %q, Password: [redacted]}",
		c.Product, c.RouteParameter, len(c.Sites), len(c.Pools), c.Username)
}

// GoString is String, so that %#v does not print the password either.
func (c Config) GoString() string { return c.String() }

// LogValue logs the configuration without its password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("product", c.Product.String()), slog.String("routeParameter", c.RouteParameter),
		slog.Int("sites", len(c.Sites)), slog.Int("pools", len(c.Pools)), slog.String("username", c.Username),
		slog.String("password", "[redacted]"))
}
