// Package renewal serialises the renewals of a token cache file within a process and
// remembers the token each renewal made, for sources whose renewal spends a one-time
// refresh token (sso, login).
package renewal

import (
	"context"
	"sync"
)

// Files holds one lock per cache file and the last token this process renewed for
// each. The zero value is ready to use.
type Files[T any] struct {
	mu      sync.Mutex
	locks   map[string]chan struct{}
	renewed map[string]T
}

// Lock takes the lock of the cache file at path, or gives up with ctx's error when
// ctx ends first.
func (f *Files[T]) Lock(ctx context.Context, path string) (unlock func(), err error) {
	f.mu.Lock()
	if f.locks == nil {
		f.locks = make(map[string]chan struct{})
	}
	l, ok := f.locks[path]
	if !ok {
		l = make(chan struct{}, 1)
		f.locks[path] = l
	}
	f.mu.Unlock()
	select {
	case l <- struct{}{}:
		return func() { <-l }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Remember records t as the token this process last renewed for path.
func (f *Files[T]) Remember(path string, t T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.renewed == nil {
		f.renewed = make(map[string]T)
	}
	f.renewed[path] = t
}

// Remembered returns the token this process last renewed for path, or T's zero value.
func (f *Files[T]) Remembered(path string) T {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.renewed[path]
}
