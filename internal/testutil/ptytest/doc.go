// Package ptytest gives tests a real pseudo-terminal (Linux only): a process started
// on it has it as its controlling terminal, as a program run in a terminal window
// does, and the test reads what the process writes there and types on its keyboard.
package ptytest
