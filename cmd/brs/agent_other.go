//go:build !unix

package main

// processAlive is never asked here: there is no agent (see agent.Unsupported).
func processAlive(int) bool { return false }
