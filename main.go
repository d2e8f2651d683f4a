// Command arklow-mock is a contract-true mock of the Arklow API: it
// validates every request against the OpenAPI document and answers from
// YAML fixtures chosen by scenarios. See README.md.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/arklow/arklow-mock/internal/cli"
)

// starter is the repository's spec, fixtures and scenarios, built into the
// binary: `arklow-mock init` writes them, and they are served where the
// current folder has no spec/ (npx @arklow/mock in an empty folder). It is
// embedded here because go:embed reads only below its package's folder.
//
//go:embed spec fixtures scenarios
var starter embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run is the whole program, with the process's edges passed in so that
// tests can run it in-process on 127.0.0.1:0.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return cli.Program{Starter: starter}.Run(ctx, args, getenv, stdout, stderr)
}
