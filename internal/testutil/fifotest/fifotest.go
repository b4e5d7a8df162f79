// Package fifotest makes named pipes for tests that check a reader refuses them.
package fifotest
