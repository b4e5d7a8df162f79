package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/agent"
)

// agentHelp is the help of `brs agent`.
const agentHelp = `Runs the brs agent in the foreground: one process per user that holds a live host
per config file, so that credential-process, env and whoami get cached credentials
over a unix socket instead of starting plugins and calling STS every time. It
refreshes them in the background, and runs an MFA command once per credential
lifetime. Credentials stay in its memory; nothing it writes holds a secret.

Those three commands start the agent on first need, detached, and it exits after
an idle time without a client (--idle, $BRS_AGENT_IDLE; default 1h). Run it in the
foreground to manage it yourself, e.g. from a systemd user unit (see README.md).
BRS_AGENT=off or --no-agent makes a command run on its own, as without an agent.

  brs agent status   show the running agent: PID, socket, log, hosts
  brs agent stop     stop it (its plugins stop too)

Socket: $BRS_AGENT_SOCKET, else $XDG_RUNTIME_DIR/brs/agent.sock, else
/tmp/brs-$UID/agent.sock, in a directory of mode 0700 that only you own; the agent
refuses connections from other users. Log of a detached agent:
$XDG_STATE_HOME/brs/agent.log (~/.local/state/brs/agent.log), level info, or
$BRS_AGENT_LOG_LEVEL.

The agent keeps one host per config file and credential environment: commands
whose values of the variables the file's roles read are equal share it; others
get a host of their own, loaded in their environment. Those variables are what
each source declares (the built-in ones: the AWS SDK's, HOME, the proxies, PATH
where a role runs a command), env() and inherit_env names, and BRS_*; never
AWS_DATA_PATH, AWS_PAGER, AWS_DEFAULT_OUTPUT, AWS_CLI_* or terminal and shell
variables. Its plugins run with the caller's environment. "brs agent status"
lists the hosts and the variables' names.
It reloads a config file when its content changes: roles whose
definition did not change keep their credentials; a file that no longer loads
leaves the running roles as they were, and the command shows the problems.`

// setupAgent is `brs agent [--idle D] [status|stop]`.
func setupAgent(fs *flag.FlagSet) runFunc {
	idle := fs.Duration("idle", 0, "exit after this long without a client (default 1h, or $BRS_AGENT_IDLE)")
	return func(ctx context.Context, c *cli, args []string) int {
		if len(args) == 1 {
			switch args[0] {
			case "status":
				return c.agentStatus(ctx)
			case "stop":
				return c.agentStop(ctx)
			}
			return c.commandUsageError(lookupCommand("agent"), "agent: unknown subcommand %q: use status or stop", args[0])
		}
		return c.runAgent(ctx, *idle)
	}
}

// runAgent runs the agent until it is stopped, idle, or signalled.
func (c *cli) runAgent(ctx context.Context, idle time.Duration) int {
	if idle == 0 {
		if v, _ := c.lookupEnv("BRS_AGENT_IDLE"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return c.usageError("invalid $BRS_AGENT_IDLE %q: use a positive duration such as 30m or 2h", v)
			}
			idle = d
		}
	}
	if idle < 0 {
		return c.usageError("invalid --idle %v: use a positive duration", idle)
	}
	socket := agent.SocketPath(c.lookupEnv)
	logPath := ""
	if _, detached := c.lookupEnv(agent.NotifyEnv); detached {
		logPath = agent.LogPath(c.lookupEnv)
	}
	srv, err := agent.Listen(agent.Config{
		Socket: socket, Log: logPath, Idle: idle, Version: versionString(), Environ: c.environ(),
		Logger: c.logger.Named("agent"), Diagnostics: formatDiagnostics,
		// A brs credential-process that the agent's plugins start (through a profile's
		// credential_process) runs in-process and detects a loop: see fromAgent and
		// credentialChain.
		PluginEnv: []string{envCredentialChain + `=["brs agent"]`},
	})
	if errors.Is(err, agent.ErrRunning) {
		agent.Notify(c.lookupEnv, "running")
		return c.errorf("an agent is already running (socket %s); \"brs agent stop\" stops it", socket)
	}
	if err != nil {
		return c.errorf("agent: %v", err)
	}
	agent.Notify(c.lookupEnv, "ready")
	if err := srv.Serve(ctx); err != nil {
		return c.errorf("agent: %v", err)
	}
	return exitOK
}

// formatDiagnostics is how the agent shows a config file's problems to a command: as
// brs shows them in-process, the lines they point at and then FILE:LINE:COLUMN lines.
func formatDiagnostics(le *host.LoadError, color bool) string {
	var b strings.Builder
	_ = le.WriteText(&b, color)
	writeSummary(&b, le.Diagnostics)
	return b.String()
}

// agentStatus is `brs agent status`.
func (c *cli) agentStatus(ctx context.Context) int {
	socket := agent.SocketPath(c.lookupEnv)
	resp, err := agent.Call(ctx, socket, agent.Request{Op: agent.OpInfo})
	if errors.Is(err, agent.ErrNotRunning) {
		fmt.Fprintf(c.stdout, "no agent is running (socket %s)\n", socket)
		return exitError
	}
	if err != nil {
		return c.errorf("agent: %v", err)
	}
	a := resp.Agent
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "%-8s %s\n", k, v) }
	row("pid", fmt.Sprint(a.PID))
	row("version", a.Version)
	row("socket", a.Socket)
	row("log", dash(a.Log))
	row("started", fmt.Sprintf("%s (%s ago)", rfc3339(a.Started), humanDuration(c.now().Sub(a.Started))))
	row("idle", fmt.Sprintf("exits after %s without a client", a.Idle))
	if len(a.Hosts) == 0 {
		row("hosts", "-")
	}
	for i, h := range a.Hosts {
		k := ""
		if i == 0 {
			k = "hosts"
		}
		row(k, h.Config)
		row("", "  variables "+strings.Join(h.Variables, " "))
		row("", "  roles     "+strings.Join(h.Roles, " "))
		row("", fmt.Sprintf("  clients   %d", h.Clients))
		if len(h.PluginDirs) > 0 {
			row("", "  plugin directories "+strings.Join(h.PluginDirs, " "))
		}
	}
	if _, err := fmt.Fprint(c.stdout, b.String()); err != nil {
		return c.errorf("writing to stdout: %v", err)
	}
	return exitOK
}

// agentStopWait bounds how long `brs agent stop` waits for the agent to exit.
const agentStopWait = 10 * time.Second

// agentStop is `brs agent stop`: it asks the agent to exit and waits until it has.
func (c *cli) agentStop(ctx context.Context) int {
	socket := agent.SocketPath(c.lookupEnv)
	pid, err := stopAgent(ctx, socket)
	if errors.Is(err, agent.ErrNotRunning) {
		fmt.Fprintf(c.stdout, "no agent is running (socket %s)\n", socket)
		return exitOK
	}
	if err != nil {
		return c.errorf("agent: %v", err)
	}
	fmt.Fprintf(c.stdout, "stopped the agent (pid %d)\n", pid)
	return exitOK
}

// stopAgent asks the agent at socket to stop and waits until its process is gone.
func stopAgent(ctx context.Context, socket string) (int, error) {
	resp, err := agent.Call(ctx, socket, agent.Request{Op: agent.OpStop})
	if err != nil {
		return 0, err
	}
	pid := resp.Agent.PID
	deadline := time.Now().Add(agentStopWait)
	for pid > 0 && processAlive(pid) {
		if time.Now().After(deadline) {
			return pid, fmt.Errorf("the agent (pid %d) did not exit within %v", pid, agentStopWait)
		}
		select {
		case <-ctx.Done():
			return pid, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return pid, nil
}
