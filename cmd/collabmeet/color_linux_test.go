package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// onTerminal runs the built binary with args and the environment variables
// env added, its stdout a pseudo-terminal, and returns what it wrote there
// and on stderr.
func onTerminal(t *testing.T, env []string, args ...string) (string, string) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	require.NoError(t, err)
	defer master.Close()
	fd := int(master.Fd())
	require.NoError(t, unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0)) // unlock the terminal
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	require.NoError(t, err)
	term, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	require.NoError(t, err)

	cmd := exec.Command(binary, args...)
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "NO_COLOR" && k != "TERM" && k != "LANG" && k != "LC_ALL" && k != "LC_MESSAGES" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = term, &stderr
	require.NoError(t, cmd.Start())
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { // read while the child writes: a terminal's buffer is small
		defer close(done)
		buf := make([]byte, 32<<10)
		for {
			k, err := master.Read(buf)
			out.Write(buf[:k])
			if err != nil { // EIO once no one holds the terminal
				return
			}
		}
	}()
	_ = cmd.Wait() // the exit code is the commands' tests' business
	term.Close()
	<-done
	return out.String(), stderr.String()
}

// TestBinaryNoColourOnADumbTerminal: on a terminal, check and report write
// colour, unless NO_COLOR is set or TERM is dumb.
func TestBinaryNoColourOnADumbTerminal(t *testing.T) {
	ndjson := writeTemp(t, "cases.ndjson", oneLine(t, must(os.ReadFile(requiredGaps)))+"\n")
	for _, args := range [][]string{{"check", requiredGaps}, {"report", ndjson}} {
		for _, tt := range []struct {
			env    []string
			colour bool
		}{
			{[]string{"TERM=xterm-256color"}, true},
			{[]string{"TERM=dumb"}, false},
			{[]string{"TERM=xterm", "NO_COLOR=1"}, false},
		} {
			t.Run(strings.Join(slices.Concat(args[:1], tt.env), " "), func(t *testing.T) {
				out, errOut := onTerminal(t, tt.env, args...)
				require.NotEmpty(t, out, errOut)
				assert.Equal(t, tt.colour, strings.Contains(out, "\x1b["), "%q", out)
			})
		}
	}
}
