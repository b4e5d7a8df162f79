package agent

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/agentproto"
	"github.com/brs-go/brs/shared"
)

// DefaultIdle is how long the agent waits without a client before it exits.
const DefaultIdle = time.Hour

// Deadlines of one connection: the request must arrive within readTimeout of the
// connection, and the response be taken within writeTimeout. Variables for tests.
var (
	readTimeout  = 5 * time.Second
	writeTimeout = 10 * time.Second
)

// maxConns bounds the connections handled at once; more are closed unanswered.
const maxConns = 512

// Bounds of the hosts the agent keeps, and of the time one load and the shutdown
// may take. Variables for tests.
var (
	// maxHosts bounds the hosts kept (config files, plugin directories): a new one
	// evicts the least recently used host that no request is using.
	maxHosts = 16
	// hostIdle is how long a host may go unused before it is closed.
	hostIdle = time.Hour
	// loadTimeout bounds loading or reloading one config file.
	loadTimeout = 30 * time.Second
	// shutdownGrace bounds how long a stopping agent waits for requests in
	// progress (a load that does not end): then it exits anyway, and its plugins
	// die with it.
	shutdownGrace = 2 * time.Second
)

// ErrRunning is returned by Listen when another agent holds the socket directory's
// lock: it is running, or starting.
var ErrRunning = errors.New("another agent is running")

// Config configures a Server.
type Config struct {
	// Socket is the socket's path; its directory is created 0700 and checked.
	Socket string
	// Log is the log file, for Info only; "" when logging to stderr.
	Log string
	// Idle is how long to wait without a client before exiting (DefaultIdle if 0).
	Idle time.Duration
	// Version is the agent's brs version; requests from other versions are refused.
	Version string
	// Environ is the agent's environment. A host runs in its first caller's
	// (host.WithEnviron), never in the agent's; Info names the variables of both
	// that separate hosts.
	Environ []string
	// Logger receives the agent's log and its hosts' (which redact secrets).
	Logger hclog.Logger
	// Diagnostics formats a config file's problems for the client.
	Diagnostics func(le *host.LoadError, color bool) string
	// PluginEnv is added to every plugin's environment (host.WithPluginEnv).
	PluginEnv []string
	// HostOptions are added to every host's options (in-process refreshers, for
	// tests and programs that embed the agent).
	HostOptions []host.Option
}

// Server is a running agent.
type Server struct {
	cfg     Config
	ln      *net.UnixListener
	lock    *os.File
	log     hclog.Logger
	started time.Time

	ctx    context.Context // cancelled at shutdown
	cancel context.CancelFunc
	stop   chan struct{} // closed by the stop request or the idle timer
	once   sync.Once

	mu     sync.Mutex
	hosts  map[string]*hostEntry
	scopes map[string]*scope
	active int
	idle   *time.Timer

	conns  sync.WaitGroup // connections being handled
	retire sync.WaitGroup // old hosts waiting for their last caller
	sem    chan struct{}
}

// Listen takes the agent's lock in the socket's directory and binds the socket. A
// socket left by an agent that died is removed first: the lock, which the kernel
// releases when its holder dies, tells a dead agent's socket from a live one's. When
// another agent holds the lock it returns ErrRunning.
func Listen(cfg Config) (*Server, error) {
	if Unsupported != "" {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, Unsupported)
	}
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	dir := filepath.Dir(cfg.Socket)
	if err := EnsureDir(dir); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(filepath.Join(dir, "agent.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("agent lock: %v", err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		if errors.Is(err, errLocked) {
			return nil, ErrRunning
		}
		return nil, fmt.Errorf("agent lock: %v", err)
	}
	if err := os.Remove(cfg.Socket); err != nil && !errors.Is(err, os.ErrNotExist) {
		lock.Close()
		return nil, fmt.Errorf("removing the stale socket %s: %v", cfg.Socket, err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: cfg.Socket, Net: "unix"})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("agent socket: %v", err)
	}
	if err := os.Chmod(cfg.Socket, 0o600); err != nil {
		ln.Close()
		lock.Close()
		return nil, fmt.Errorf("agent socket: %v", err)
	}
	s := &Server{
		cfg: cfg, ln: ln, lock: lock, log: cfg.Logger,
		started: time.Now(), stop: make(chan struct{}), hosts: map[string]*hostEntry{}, scopes: map[string]*scope{},
		sem: make(chan struct{}, maxConns),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Serve answers clients until ctx is done, a client asks the agent to stop, or no
// client has connected for the idle time. It then closes every host, which stops
// their plugins, and removes the socket.
func (s *Server) Serve(ctx context.Context) error {
	s.log.Info("agent listening", "socket", s.cfg.Socket, "pid", os.Getpid(), "idle", s.cfg.Idle.String())
	s.mu.Lock()
	s.idle = time.AfterFunc(s.cfg.Idle, s.onIdle)
	s.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
			s.log.Info("agent stopping: signal")
			s.shutdown()
		case <-s.stop:
		}
		s.ln.Close()
	}()
	var err error
	for {
		conn, aerr := s.ln.AcceptUnix()
		if aerr != nil {
			select {
			case <-s.stop:
			default:
				if ne, ok := aerr.(net.Error); ok && ne.Timeout() {
					continue
				}
				err = aerr
				s.shutdown()
			}
			break
		}
		select {
		case s.sem <- struct{}{}:
		default:
			conn.Close() // over maxConns: the client falls back in-process
			continue
		}
		s.conns.Add(1)
		s.begin()
		go func() {
			defer func() { <-s.sem; s.end(); s.conns.Done() }()
			s.handle(conn)
		}()
	}
	s.cancel()
	s.closeHosts()
	if !waitFor(&s.conns, shutdownGrace) {
		s.log.Warn("stopping with requests in progress", "grace", shutdownGrace.String())
	}
	s.closeHosts() // a host a request loaded while the agent stopped
	if !waitFor(&s.retire, shutdownGrace) {
		s.log.Warn("stopping with plugins still stopping", "grace", shutdownGrace.String())
	}
	s.lock.Close()
	s.log.Info("agent stopped")
	return err
}

// waitFor waits for wg, at most d; it reports whether wg is done.
func waitFor(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// Info describes the agent.
func (s *Server) Info() Info {
	info := s.self()
	s.mu.Lock()
	var configs []string
	var hosts []HostInfo
	for _, e := range s.hosts {
		if !e.live.Load() { // not e.mu: a load may be in progress
			continue
		}
		configs = append(configs, e.path)
		var vars varSet
		if sc := s.scopes[e.scope]; sc != nil {
			vars = sc.vars
		}
		hosts = append(hosts, HostInfo{Config: e.path, PluginDirs: e.dirs, Variables: vars.namesIn(e.environ, s.cfg.Environ),
			Clients: e.clients, Roles: e.roles()})
	}
	s.mu.Unlock()
	sort.Strings(configs)
	sort.Slice(hosts, func(i, j int) bool { return hosts[i].Config < hosts[j].Config })
	info.Configs, info.Hosts = slices.Compact(configs), hosts
	return info
}

// self is Info without the hosts: what an answer to a credential request carries,
// which every credential_process call waits for.
func (s *Server) self() Info {
	return Info{PID: os.Getpid(), Started: s.started, Socket: s.cfg.Socket, Log: s.cfg.Log, Idle: s.cfg.Idle,
		Version: s.cfg.Version}
}

func (s *Server) shutdown() { s.once.Do(func() { close(s.stop) }) }

func (s *Server) onIdle() {
	s.mu.Lock()
	idle := s.active == 0
	s.mu.Unlock()
	if idle {
		s.log.Info("agent stopping: no client for the idle time", "idle", s.cfg.Idle.String())
		s.shutdown()
	}
}

// begin and end count the connections in progress; the idle time runs while there
// are none.
func (s *Server) begin() {
	s.mu.Lock()
	s.active++
	s.idle.Stop()
	s.mu.Unlock()
}

func (s *Server) end() {
	s.mu.Lock()
	s.active--
	if s.active == 0 {
		s.idle.Reset(s.cfg.Idle)
	}
	s.mu.Unlock()
}

// handle answers one connection: the peer's uid is checked first, then one request
// is read within readTimeout and answered.
func (s *Server) handle(conn *net.UnixConn) {
	defer conn.Close()
	var op string
	w := &connWriter{conn: conn}
	resp := s.answer(conn, w, &op)
	switch {
	case resp.Code == CodeRefused:
	case op == OpCredentials || op == OpRefresh:
		resp.Agent = s.self()
	default:
		resp.Agent = s.Info()
	}
	if err := w.final(resp); err != nil {
		s.log.Debug("writing a response", "error", err)
	}
}

// connWriter writes the messages of one connection: the prompts a refresh sends
// while the request runs, then the final response, after which nothing more.
type connWriter struct {
	conn *net.UnixConn
	mu   sync.Mutex
	done bool
}

func (w *connWriter) write(resp Response, last bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return errors.New("the request was answered")
	}
	w.done = last
	_ = w.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return writeMsg(w.conn, resp)
}

func (w *connWriter) final(resp Response) error { return w.write(resp, true) }

// prompter is the host.Prompter of a request whose client can ask at its terminal:
// it sends the prompts (CodePrompt) and waits for the client's answers, which the
// connection's reader delivers on answers. One question at a time.
func (s *Server) prompter(w *connWriter, answers <-chan map[string]string, hungUp <-chan struct{}) host.Prompter {
	var mu sync.Mutex
	return func(ctx context.Context, role string, prompts []shared.Prompt) (map[string]string, error) {
		mu.Lock()
		defer mu.Unlock()
		resp := Response{Code: CodePrompt, Role: role}
		for _, p := range prompts {
			resp.Prompts = append(resp.Prompts, agentproto.Prompt{ID: p.ID, Text: p.Text, Secret: p.Secret})
		}
		if err := w.write(resp, false); err != nil {
			return nil, fmt.Errorf("asking the client: %v", err)
		}
		select {
		case a := <-answers:
			return a, nil
		case <-hungUp:
			return nil, errors.New("the client hung up before it answered")
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// answer reads the request, sets *op to its operation, and answers it.
func (s *Server) answer(conn *net.UnixConn, w *connWriter, op *string) Response {
	uid, err := peerUID(conn)
	if err != nil || uid != os.Getuid() {
		s.log.Warn("refused a connection from another user", "peer_uid", uid, "error", err)
		return Response{Code: CodeRefused, Error: "this agent serves only its own user"}
	}
	_ = conn.SetReadDeadline(time.Now().Add(readTimeout))
	var req Request
	if err := readMsg(conn, &req, true); err != nil {
		s.log.Warn("bad request", "error", err)
		return Response{Code: CodeBadRequest, Error: "bad request: " + err.Error()}
	}
	_ = conn.SetReadDeadline(time.Time{})
	*op = req.Op
	// The client hanging up cancels its request. What it may send after the request
	// is its answers to prompts (OpAnswers); anything else, or EOF, ends the request.
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	answers := make(chan map[string]string)
	go func() {
		defer cancel()
		for {
			var m Request
			if err := readMsg(conn, &m, true); err != nil || m.Op != OpAnswers || !req.Prompt {
				return
			}
			select {
			case answers <- m.Answers:
			case <-ctx.Done():
				return
			}
		}
	}()
	if req.Prompt {
		ctx = host.ContextWithPrompter(ctx, s.prompter(w, answers, ctx.Done()))
	}
	switch req.Op {
	case OpInfo:
		return Response{}
	case OpStop:
		s.log.Info("agent stopping: asked to")
		s.shutdown()
		return Response{}
	case OpCredentials, OpStatus, OpRefresh:
	default:
		return Response{Code: CodeBadRequest, Error: fmt.Sprintf("unknown operation %q", req.Op)}
	}
	if req.Version != s.cfg.Version {
		return Response{Code: CodeVersion, Error: fmt.Sprintf("the agent runs %s, the client is %s", s.cfg.Version, req.Version)}
	}
	if !filepath.IsAbs(req.Config) || filepath.Clean(req.Config) != req.Config {
		return Response{Code: CodeBadRequest, Error: "bad request: the config path must be absolute and clean"}
	}
	if len(req.PluginDirs) > maxPluginDirs {
		return Response{Code: CodeBadRequest, Error: fmt.Sprintf("bad request: %d plugin directories, at most %d", len(req.PluginDirs), maxPluginDirs)}
	}
	for _, p := range append([]string{req.Config}, req.PluginDirs...) {
		if len(p) > maxPath {
			return Response{Code: CodeBadRequest, Error: fmt.Sprintf("bad request: a path of %d bytes, at most %d", len(p), maxPath)}
		}
	}
	// NUL separates the parts of a host's key: none may hold one (no real path or
	// environment does).
	for _, v := range append(append([]string{req.Config}, req.PluginDirs...), req.Environ...) {
		if strings.ContainsRune(v, 0) {
			return Response{Code: CodeBadRequest, Error: "bad request: a NUL byte in a path or in the environment"}
		}
	}
	hs := hostSpec{scope: req.Config + "\x00" + strings.Join(req.PluginDirs, "\x00"), path: req.Config,
		dirs: req.PluginDirs, environ: req.Environ}
	switch req.Op {
	case OpStatus:
		return s.status(hs)
	case OpRefresh:
		return s.refresh(ctx, req, hs)
	}
	return s.credentials(ctx, req, hs)
}

// maxConfigRead bounds what the agent reads of a config file to find the files its
// roles read (the config package bounds the file itself).
const maxConfigRead = 16 << 20

// hostSpec identifies the host a request is for: the config file, the plugin
// directories and the caller's environment.
type hostSpec struct {
	// scope is the config file and plugin directories.
	scope, path string
	dirs        []string
	// environ is the caller's environment but for the variables only clients read.
	environ []string
}

// scope is what the agent knows of the hosts of one config file and list of plugin
// directories: which variables separate them, learnt from their loads.
type scope struct {
	// vars are the variables any host of the scope read at its last load; unknown
	// until one loads.
	vars varSet
	// first is closed when the load of the scope's first host ends, nil when none
	// is in progress: while vars is unknown, a caller that would make a second host
	// waits for it, since that load tells which variables count.
	first chan struct{}
	// entries counts the scope's hosts; the scope is forgotten with its last.
	entries int
}

// keyOf is the key of the host of scope that serves callers with environ.
func keyOf(scope string, vars varSet, environ []string) string {
	return scope + "\x00\x00" + strings.Join(vars.projection(environ), "\x00")
}

// readBounded reads at most limit bytes of the file at path.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// entry returns the host entry for hs, creating it if create, and counts a user in
// (release it with s.release). When the agent holds maxHosts entries, all in use, it
// returns nil and the answer to give. While no host of hs's file has loaded, a caller
// that would create a second one gets a channel to wait on instead.
func (s *Server) entry(hs hostSpec, create bool) (*hostEntry, <-chan struct{}, *Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.evictIdleLocked(now)
	sc := s.scopes[hs.scope]
	var vars varSet
	if sc != nil {
		vars = sc.vars
	}
	key := keyOf(hs.scope, vars, hs.environ)
	e := s.hosts[key]
	if e == nil {
		if !create {
			return nil, nil, nil
		}
		if sc != nil && !sc.vars.known && sc.first != nil {
			return nil, sc.first, nil
		}
		if len(s.hosts) >= maxHosts {
			var lru *hostEntry
			for _, c := range s.hosts {
				if c.users == 0 && (lru == nil || c.used.Before(lru.used)) {
					lru = c
				}
			}
			if lru == nil {
				return nil, nil, &Response{Code: CodeBusy, Error: fmt.Sprintf("the agent holds %d hosts, all in use", maxHosts)}
			}
			s.log.Info("closing the least recently used host: the agent holds as many as it may", "config", lru.path, "hosts", maxHosts)
			s.dropLocked(lru)
		}
		if sc = s.scopes[hs.scope]; sc == nil { // dropLocked may have removed it
			sc = &scope{}
			s.scopes[hs.scope] = sc
		}
		e = &hostEntry{s: s, key: key, scope: hs.scope, path: hs.path, dirs: hs.dirs, environ: hs.environ}
		if !sc.vars.known {
			sc.first = make(chan struct{})
			e.first = sc.first
		}
		sc.entries++
		s.hosts[key] = e
	}
	if create {
		e.clients++
	}
	e.users++
	e.used = now
	return e, nil, nil
}

// testHook, when set by a test, is called with "wait" when a caller starts to wait
// for its file's first load, and with "load" when a load starts.
var testHook func(event string)

// use returns the host that serves hs, loaded, and counts the caller in (release
// with g.wg.Done and s.release(e)); or the failure to answer.
func (s *Server) use(ctx context.Context, hs hostSpec, color bool) (*hostEntry, *generation, Response) {
	for tries := 0; ; tries++ {
		e, wait, busy := s.entry(hs, true)
		if busy != nil {
			return nil, nil, *busy
		}
		if wait != nil {
			if testHook != nil {
				testHook("wait")
			}
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, nil, Response{Code: CodeStopping, Error: "the request ended while the config file was loading"}
			}
		}
		g, fail := e.acquire(ctx, color)
		moved := s.learn(e, g, hs.environ)
		if g == nil {
			s.release(e)
			return nil, nil, fail
		}
		if moved {
			// The load showed that the file's roles read a variable in which the
			// caller differs from this host: find or make the caller's own.
			g.wg.Done()
			s.release(e)
			if tries < 3 {
				continue
			}
			return nil, nil, Response{Code: CodeBusy, Error: "the variables the config file's roles read kept changing while it loaded"}
		}
		return e, g, Response{}
	}
}

// learn records what e's load g tells about the variables that separate the hosts
// of e's file (g nil: the load failed), keys the file's hosts by them, and ends the
// wait for the file's first load. It reports whether a caller with environ no
// longer belongs to e.
func (s *Server) learn(e *hostEntry, g *generation, environ []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := s.scopes[e.scope]
	if sc == nil {
		return false
	}
	if e.first != nil {
		close(e.first)
		if sc.first == e.first {
			sc.first = nil
		}
		e.first = nil
	}
	if g != nil {
		if vars := sc.vars.union(g.vars); !vars.equal(sc.vars) {
			sc.vars = vars
			s.rekeyLocked(e.scope, vars)
		}
	}
	return keyOf(e.scope, sc.vars, environ) != e.key
}

// rekeyLocked keys the hosts of scope by vars. A host whose new key another holds
// keeps its old one: it serves no new caller and is evicted in time.
func (s *Server) rekeyLocked(scope string, vars varSet) {
	var moving []*hostEntry
	for _, e := range s.hosts {
		if e.scope == scope {
			moving = append(moving, e)
		}
	}
	for _, e := range moving {
		key := keyOf(scope, vars, e.environ)
		if key == e.key || s.hosts[key] != nil {
			continue
		}
		delete(s.hosts, e.key)
		e.key = key
		s.hosts[key] = e
	}
}

// release counts a user of e out.
func (s *Server) release(e *hostEntry) {
	s.mu.Lock()
	e.users--
	e.used = time.Now()
	s.mu.Unlock()
}

// evictIdleLocked closes the hosts nobody has used for hostIdle.
func (s *Server) evictIdleLocked(now time.Time) {
	for _, e := range s.hosts {
		if e.users == 0 && now.Sub(e.used) > hostIdle {
			s.log.Info("closing a host unused for its idle time", "config", e.path, "idle", hostIdle.String())
			s.dropLocked(e)
		}
	}
}

// dropLocked forgets e, which no request uses, and closes its host once the last
// caller of its current generation is done.
func (s *Server) dropLocked(e *hostEntry) {
	delete(s.hosts, e.key)
	if sc := s.scopes[e.scope]; sc != nil {
		if sc.entries--; sc.entries <= 0 && sc.first == nil {
			delete(s.scopes, e.scope)
		}
	}
	e.mu.Lock()
	g := e.cur
	e.cur = nil
	e.live.Store(false)
	e.mu.Unlock()
	if g != nil {
		s.retireGen(e.path, g)
	}
}

// retireGen closes g's host once its callers are done.
func (s *Server) retireGen(path string, g *generation) {
	s.retire.Add(1)
	go func() {
		defer s.retire.Done()
		g.wg.Wait()
		if err := g.h.Close(); err != nil {
			s.log.Warn("stopping the plugins", "config", path, "error", err)
		}
	}()
}

func (s *Server) credentials(ctx context.Context, req Request, hs hostSpec) Response {
	e, g, fail := s.use(ctx, hs, req.Color)
	if g == nil {
		return fail
	}
	defer s.release(e)
	defer g.wg.Done()
	resp := Response{Warnings: warnings(g.h)}
	r, err := g.h.Role(req.Role)
	if err != nil {
		resp.Code, resp.Error = CodeNoRole, err.Error()
		return resp
	}
	resp.Source, resp.Region, resp.Endpoint = r.Source(), r.Region(), r.Endpoint()
	creds, err := r.Credentials(ctx)
	if err != nil {
		resp.Code, resp.Error = CodeFetch, err.Error()
		return resp
	}
	resp.Credentials = &Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey,
		SessionToken: creds.SessionToken, Expires: creds.Expires, AccountID: creds.AccountID, ARN: creds.ARN}
	return resp
}

// refresh refreshes req.Roles (every role if none) of the host for hs now, loading it
// if need be, and says how each went.
func (s *Server) refresh(ctx context.Context, req Request, hs hostSpec) Response {
	e, g, fail := s.use(ctx, hs, req.Color)
	if g == nil {
		return fail
	}
	defer s.release(e)
	defer g.wg.Done()
	resp := Response{Warnings: warnings(g.h)}
	roles := req.Roles
	if len(roles) == 0 {
		roles = g.h.Roles()
	}
	for _, name := range roles {
		if _, err := g.h.Role(name); err != nil {
			resp.Code, resp.Error = CodeNoRole, err.Error()
			return resp
		}
	}
	for _, name := range roles {
		r, _ := g.h.Role(name)
		out := Refreshed{Role: name}
		if err := r.Refresh(ctx); err != nil {
			out.Error = err.Error()
		} else {
			st := r.Status()
			out.AccessKeyID, out.Expires = st.AccessKeyID, st.Expires
		}
		resp.Refreshed = append(resp.Refreshed, out)
	}
	return resp
}

func (s *Server) status(hs hostSpec) Response {
	e, _, _ := s.entry(hs, false)
	if e != nil {
		defer s.release(e)
	}
	var g *generation
	var loaded time.Time
	if e != nil {
		e.mu.Lock()
		g, loaded = e.cur, e.loaded
		if g != nil {
			g.wg.Add(1)
		}
		e.mu.Unlock()
	}
	if g == nil {
		return Response{Code: CodeNotLoaded, Error: "the agent holds no host for " + hs.path + " in this environment"}
	}
	defer g.wg.Done()
	resp := Response{Loaded: loaded, Warnings: warnings(g.h), Roles: []RoleStatus{}}
	for _, st := range g.h.Status() {
		rs := RoleStatus{Role: st.Role, Source: st.Source, SourceRole: st.SourceRole, Region: st.Region,
			Endpoint: st.Endpoint, Plugin: st.Plugin, AccessKeyID: st.AccessKeyID, AccountID: st.AccountID,
			ARN: st.ARN, Expires: st.Expires, LastRefresh: st.LastRefresh, NextRefresh: st.NextRefresh,
			Refreshing: st.Refreshing, Refreshes: st.Refreshes, LastErrorAt: st.LastErrorAt, Failures: st.Failures}
		if st.LastError != nil {
			rs.LastError = st.LastError.Error()
		}
		resp.Roles = append(resp.Roles, rs)
	}
	for _, p := range g.h.Plugins() {
		resp.Plugins = append(resp.Plugins, Plugin{Name: p.Name, Path: p.Path, PID: p.PID, Roles: p.Roles})
	}
	return resp
}

func warnings(h *host.Host) []string {
	var out []string
	for _, d := range h.Warnings() {
		out = append(out, d.Error())
	}
	return out
}

// closeHosts closes every host; old ones close when their last caller is done. It
// takes no lock that a load holds: a load in progress cannot hold it up.
func (s *Server) closeHosts() {
	s.mu.Lock()
	entries := slices.Collect(maps.Values(s.hosts))
	s.mu.Unlock()
	for _, e := range entries {
		e.mu.Lock()
		g := e.cur
		e.cur = nil
		e.live.Store(false)
		e.mu.Unlock()
		if g != nil {
			s.retireGen(e.path, g)
		}
	}
}

// hostEntry is the host of one config file (and one list of plugin directories),
// loaded on first use and reloaded when the file's content changes.
type hostEntry struct {
	s *Server
	// key is the entry's in s.hosts, and scope its file's in s.scopes.
	key, scope string
	path       string
	dirs       []string
	// environ is the environment of the caller that made the host: the host runs in
	// it (host.WithEnviron), its plugins too.
	environ []string
	// first is closed once the entry's load ends, when it is its file's first.
	first chan struct{}
	// clients counts the credential requests served.
	clients int

	// users counts the requests using the entry, and used is when one last did;
	// both under s.mu.
	users int
	used  time.Time

	// mu guards what follows; it is never held across a load: loading is closed
	// when the load in progress ends.
	mu      sync.Mutex
	loading chan struct{}
	cur     *generation
	stamp   fileStamp
	sum     [sha256.Size]byte // of the content cur was loaded from
	loaded  time.Time
	// failed is the answer for content that did not load, given again for failedTTL
	// so that a burst of commands does not load the same broken file each time (a
	// plugin that failed to start may start the next time: it is not kept longer).
	failedSum  [sha256.Size]byte
	failedDeps string
	failedAt   time.Time
	failed     *Response
	// depFiles are the files the roles read besides the config file, and deps
	// their stamps when cur was loaded.
	depFiles []string
	deps     string
	// next is what check read for the load in progress.
	next loadState
	// live is whether cur is set, read without mu.
	live atomic.Bool
}

// failedTTL is how long a file that did not load is answered from memory.
const failedTTL = 2 * time.Second

// generation is one loaded host and the callers using it.
type generation struct {
	h *host.Host
	// vars are the variables h's roles read.
	vars varSet
	wg   sync.WaitGroup
}

// fileStamp tells cheaply whether a file may have changed.
type fileStamp struct {
	size, ino   int64
	mtime, ctim int64
}

func stampOf(fi os.FileInfo) fileStamp {
	st := fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	st.ino, st.ctim = inodeOf(fi)
	return st
}

// roles returns the names of the roles of the current host.
func (e *hostEntry) roles() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cur == nil {
		return nil
	}
	return e.cur.h.Roles()
}

// acquire returns the current host, loading it, or reloading it when the file's
// content changed, and counts the caller in (release with g.wg.Done). When the file
// does not load it returns nil and the failure; a host already running keeps running.
// One load of an entry runs at a time, under no lock: other callers of the entry wait
// for it (or for their ctx), and other entries are served meanwhile.
func (e *hostEntry) acquire(ctx context.Context, color bool) (*generation, Response) {
	for {
		e.mu.Lock()
		if ch := e.loading; ch != nil {
			e.mu.Unlock()
			select {
			case <-ch:
				continue
			case <-ctx.Done():
				return nil, Response{Code: CodeStopping, Error: "the request ended while the config file was loading"}
			}
		}
		g, resp, load := e.check()
		if !load {
			e.mu.Unlock()
			return g, resp
		}
		e.loading = make(chan struct{})
		cur := e.cur
		e.mu.Unlock()
		return e.load(cur, color)
	}
}

// depFile finds a literal path given to an attribute named *_file or to file().
var depFile = regexp.MustCompile(`\b\w*_file\s*=\s*"([^"$%\\]+)"|\bfile\(\s*"([^"$%\\]+)"`)

// depFilesOf returns the files a host's roles read besides the config file: the AWS
// config and credentials files of its environment, and the paths its text gives
// *_file attributes and file().
func depFilesOf(content []byte, dir string, env []string) []string {
	home, _ := lookup(env, "HOME")
	pick := func(name, def string) string {
		if v, _ := lookup(env, name); v != "" {
			return v
		}
		if home == "" {
			return ""
		}
		return filepath.Join(home, ".aws", def)
	}
	out := []string{pick("AWS_CONFIG_FILE", "config"), pick("AWS_SHARED_CREDENTIALS_FILE", "credentials")}
	for _, m := range depFile.FindAllSubmatch(content, -1) {
		p := string(m[1]) + string(m[2])
		if strings.HasPrefix(p, "~/") && home != "" {
			p = filepath.Join(home, p[2:])
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// depsStamp stamps the files in e.depFiles (a stat each: size, mtime, inode).
func (e *hostEntry) depsStamp() string {
	var b strings.Builder
	for _, p := range e.depFiles {
		if p == "" {
			continue
		}
		fmt.Fprintf(&b, "%s\x00", p)
		if fi, err := os.Stat(p); err == nil {
			fmt.Fprintf(&b, "%v\x00", stampOf(fi))
		}
	}
	return b.String()
}

// failing reports whether a role of the current host's last refresh failed.
func (e *hostEntry) failing() bool {
	for _, st := range e.cur.h.Status() {
		if st.Failures > 0 {
			return true
		}
	}
	return false
}

// loadState is what check found that a load needs.
type loadState struct {
	stamp fileStamp
	sum   [sha256.Size]byte
	deps  string
	// fresh loads a new host (new plugin processes, no backoff) instead of
	// reloading over the current one: a file the roles depend on changed.
	fresh bool
}

// check answers from the current host or a recent failure when the file did not
// change; otherwise it says to load it (and records what it read in e.next). e.mu
// is held.
func (e *hostEntry) check() (*generation, Response, bool) {
	fi, err := os.Stat(e.path)
	if err != nil {
		return nil, Response{Code: CodeConfig, Error: fmt.Sprintf("config file %s: %v", e.path, err)}, false
	}
	stamp := stampOf(fi)
	deps := e.depsStamp()
	if e.cur != nil && stamp == e.stamp && deps == e.deps {
		e.cur.wg.Add(1)
		return e.cur, Response{}, false
	}
	content, err := readBounded(e.path, maxConfigRead)
	if err != nil {
		return nil, Response{Code: CodeConfig, Error: fmt.Sprintf("config file %s: %v", e.path, err)}, false
	}
	e.depFiles = depFilesOf(content, filepath.Dir(e.path), e.environ)
	deps = e.depsStamp()
	sum := sha256.Sum256(content)
	switch {
	case e.cur != nil && sum == e.sum && deps == e.deps:
		e.stamp = stamp
		e.cur.wg.Add(1)
		return e.cur, Response{}, false
	case e.failed != nil && sum == e.failedSum && deps == e.failedDeps && time.Since(e.failedAt) < failedTTL:
		return nil, *e.failed, false
	}
	// A changed file a role reads (AWS config or credentials, a token file): its
	// plugins may hold what they read before, and its roles may be backing off from
	// a failure the change fixes. So is a changed config file while a role fails.
	fresh := e.cur != nil && (deps != e.deps || e.failing())
	e.next = loadState{stamp: stamp, sum: sum, deps: deps, fresh: fresh}
	return nil, Response{}, true
}

// load loads the file (cur nil) or reloads it over cur, within loadTimeout and
// without holding e.mu, then installs the result and ends e.loading.
func (e *hostEntry) load(cur *generation, color bool) (*generation, Response) {
	if testHook != nil {
		testHook("load")
	}
	e.mu.Lock()
	st := e.next
	e.mu.Unlock()
	log := e.s.log.With("config", e.path)
	opts := []host.Option{host.WithLogger(log), host.WithEnviron(e.environ), host.WithPluginEnv(e.s.cfg.PluginEnv...)}
	opts = append(opts, e.s.cfg.HostOptions...)
	for _, d := range e.dirs {
		opts = append(opts, host.WithPluginDir(d))
	}
	ctx, cancel := context.WithTimeout(e.s.ctx, loadTimeout)
	defer cancel()
	var next *host.Host
	var retire func() error
	var err error
	if cur == nil || st.fresh {
		next, err = host.Load(ctx, e.path, opts...)
	} else {
		next, retire, err = host.Reload(ctx, cur.h, opts...)
	}

	e.mu.Lock()
	defer func() {
		close(e.loading)
		e.loading = nil
		e.mu.Unlock()
	}()
	if err == nil && e.s.ctx.Err() != nil {
		// The agent stopped during the load: nobody will close this host later.
		if retire != nil {
			_ = next.Close()
		} else if cerr := next.Close(); cerr != nil {
			log.Warn("stopping the plugins", "error", cerr)
		}
		return nil, Response{Code: CodeStopping, Error: "the agent is stopping"}
	}
	if err != nil {
		resp := Response{Code: CodeConfig, Error: err.Error()}
		var le *host.LoadError
		if errors.As(err, &le) && e.s.cfg.Diagnostics != nil {
			resp.Diagnostics = e.s.cfg.Diagnostics(le, color)
		}
		if ctx.Err() == context.DeadlineExceeded {
			resp.Error = fmt.Sprintf("loading %s took longer than %v: %v", e.path, loadTimeout, err)
		}
		if cur != nil {
			log.Warn("the changed config file does not load; the running host keeps its roles", "error", err)
		}
		e.failedSum, e.failedDeps, e.failedAt, e.failed = st.sum, st.deps, time.Now(), &resp
		return nil, resp
	}
	if cur == nil || st.fresh || e.cur != cur {
		if st.fresh {
			log.Info("loaded afresh: a file its roles read changed", "roles", len(next.Roles()))
		} else {
			log.Info("loaded", "roles", len(next.Roles()))
		}
		if e.cur != nil {
			e.s.retireGen(e.path, e.cur)
		}
	} else {
		log.Info("reloaded: the file changed", "roles", len(next.Roles()))
		old := cur
		e.s.retire.Add(1)
		go func() {
			defer e.s.retire.Done()
			old.wg.Wait()
			if err := retire(); err != nil {
				log.Warn("stopping the plugins of the previous load", "error", err)
			}
		}()
	}
	e.cur = &generation{h: next, vars: varsOf(next.Environment())}
	e.live.Store(true)
	e.stamp, e.sum, e.deps, e.loaded, e.failed = st.stamp, st.sum, st.deps, time.Now(), nil
	e.cur.wg.Add(1)
	return e.cur, Response{}
}
