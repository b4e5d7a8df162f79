package ssotest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"time"
)

// The suffixes AWS appends to the code in x-amzn-ErrorType; the SDK strips them.
const (
	portalErrorURI = ":http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"
	oidcErrorURI   = ":http://internal.amazon.com/coral/com.amazonaws.ssooidc/"
)

// getRoleCredentials serves the portal's GetRoleCredentials.
func (s *Server) getRoleCredentials(w http.ResponseWriter, r *http.Request) {
	call := PortalCall{
		AccessToken: r.Header.Get("X-Amz-Sso_bearer_token"),
		AccountID:   r.URL.Query().Get("account_id"),
		RoleName:    r.URL.Query().Get("role_name"),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.portalCalls = append(s.portalCalls, call) }()

	fail := func(status int, code, msg string) {
		call.Status = status
		writeJSON(w, status, code+portalErrorURI, map[string]string{"message": msg})
	}
	switch {
	case s.portalFail != nil:
		fail(s.portalFail.status, s.portalFail.code, s.portalFail.message)
	case call.AccountID == "" || call.RoleName == "" || call.AccessToken == "":
		fail(http.StatusBadRequest, "InvalidRequestException", "account_id, role_name and x-amz-sso_bearer_token are required")
	case !s.accessTokens[call.AccessToken]:
		fail(http.StatusUnauthorized, "UnauthorizedException", "Session token not found or invalid")
	case !s.roles[role{call.AccountID, call.RoleName}]:
		fail(http.StatusForbidden, "ForbiddenException", "No access")
	default:
		s.seq++
		call.Status = http.StatusOK
		call.AccessKeyID = fmt.Sprintf("ASIAFAKESSO%09d", s.seq)
		expires := time.Now().Add(s.credentialLifetime)
		writeJSON(w, http.StatusOK, "", map[string]any{"roleCredentials": map[string]any{
			"accessKeyId":     call.AccessKeyID,
			"secretAccessKey": fmt.Sprintf("fake-sso-secret-access-key-%d", s.seq),
			"sessionToken":    fmt.Sprintf("fake-sso-session-token-%d", s.seq),
			"expiration":      expires.UnixMilli(),
		}})
	}
}

// createToken serves SSO-OIDC's CreateToken for the refresh_token grant.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	hook := s.onCreateToken
	s.mu.Unlock()
	if hook != nil {
		hook()
	}

	var in struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		GrantType    string `json:"grantType"`
		RefreshToken string `json:"refreshToken"`
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	decodeErr := json.NewDecoder(r.Body).Decode(&in)
	call := TokenCall{GrantType: in.GrantType, ClientID: in.ClientID, ClientSecret: in.ClientSecret, RefreshToken: in.RefreshToken}

	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.tokenCalls = append(s.tokenCalls, call) }()

	fail := func(status int, code, oauthErr, descr string) {
		call.Status = status
		writeJSON(w, status, code+oidcErrorURI, map[string]string{"error": oauthErr, "error_description": descr})
	}
	secret, knownClient := s.clients[in.ClientID]
	switch {
	case s.oidcFail != nil:
		fail(s.oidcFail.status, s.oidcFail.code, s.oidcFail.oauthError, s.oidcFail.descr)
	case mt != "application/json" || decodeErr != nil:
		fail(http.StatusBadRequest, "InvalidRequestException", "invalid_request", "the body must be a JSON object")
	case in.GrantType != "refresh_token":
		fail(http.StatusBadRequest, "UnsupportedGrantTypeException", "unsupported_grant_type", "this fake only knows refresh_token")
	case !knownClient || secret != in.ClientSecret:
		fail(http.StatusUnauthorized, "InvalidClientException", "invalid_client", "Invalid client provided")
	case !s.refreshTokens[in.RefreshToken]:
		fail(http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided")
	default:
		s.seq++
		call.Status = http.StatusOK
		call.AccessToken = fmt.Sprintf("fake-sso-access-token-%d", s.seq)
		s.accessTokens[call.AccessToken] = true
		out := map[string]any{
			"accessToken": call.AccessToken,
			"expiresIn":   int(s.tokenLifetime / time.Second),
			"tokenType":   "Bearer",
		}
		if !s.keepRefreshToken {
			next := fmt.Sprintf("fake-sso-refresh-token-%d", s.seq)
			delete(s.refreshTokens, in.RefreshToken)
			s.refreshTokens[next] = true
			out["refreshToken"] = next
		}
		writeJSON(w, http.StatusOK, "", out)
	}
}

// writeJSON answers with v as JSON, and with errorType in x-amzn-ErrorType if set.
func writeJSON(w http.ResponseWriter, status int, errorType string, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", "fake-sso-request-id")
	if errorType != "" {
		w.Header().Set("X-Amzn-Errortype", errorType)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
