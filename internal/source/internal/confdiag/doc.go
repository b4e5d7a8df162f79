// Package confdiag holds what every built-in source does the same way with its config
// block: decode it, describe what is wrong with it as diagnostics about its
// attributes, and, when a refresh is asked for with a config that Validate would have
// refused, turn those diagnostics into one permanent error.
package confdiag
