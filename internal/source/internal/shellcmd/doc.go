// Package shellcmd runs the shell command lines that credential sources are configured
// with (process's command, web_identity's token_command) the same careful way.
//
// A command runs with `sh -c` in a process group of its own (internal/proc's Group):
// it gets SIGKILL if the plugin dies (Linux), SIGTERM and then SIGKILL when its time
// limit passes or the caller gives up, and what is left of its group is killed as soon
// as sh exits, so a command that started children of its own leaves nothing behind.
// Its standard output is captured, up to a limit, because a plugin's stdout belongs to
// go-plugin and because it holds secrets; its standard error goes to the plugin's
// standard error, which the host logs. Its environment is minimal (see Environ): the
// plugin's own, which may hold the base AWS credentials, is not passed on.
//
// Errors never contain the command's output.
package shellcmd
