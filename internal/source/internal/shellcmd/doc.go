// Package shellcmd runs the shell command lines that credential sources are configured
// with (process's command, web_identity's token_command) the same careful way.
//
// A command runs with `sh -c` in a process group of its own. Its standard output is
// captured, up to a limit, because a plugin's stdout belongs to go-plugin and because
// it holds secrets; its standard error goes to the plugin's standard error, which the
// host logs. When the time limit passes or the caller gives up, the whole process group
// is killed, so a command that started children of its own leaves nothing behind. The
// environment is the plugin's, without the variables go-plugin set to launch it, plus
// the command's own.
//
// Errors never contain the command's output.
package shellcmd
