package clock

// WallMicros returns the wall-clock time as microseconds since the Unix epoch: the
// time.Now().UnixMicro() that the host's hot path compares with an expiry, read
// without the monotonic clock that time.Now also reads. Like time.Now's wall reading,
// it counts time a suspended machine slept, so credentials are never taken for valid
// past their wall-clock deadline after a laptop resumes.
func WallMicros() int64 { return wallMicros() }
