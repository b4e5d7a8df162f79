// Package envvars lists the environment variables that libraries a source commonly
// uses read, for a source to declare in shared.SchemaResponse.Environment: the agent
// shares one running source between callers whose values of these variables are equal,
// so a source must declare every variable that can change what it answers.
package envvars

// AWSSDK are the variables aws-sdk-go-v2 reads when a source loads the default AWS
// config (config.LoadDefaultConfig) and calls STS, SSO or SSO OIDC with it: credentials,
// profile and file locations, region, endpoints, retries, the container and EC2
// metadata credential providers. It leaves out what only the AWS CLI reads
// (AWS_DATA_PATH, AWS_PAGER, AWS_DEFAULT_OUTPUT, AWS_CLI_*), so that the CLI's own
// variables never keep its credential_process calls from sharing a source.
var AWSSDK = []string{
	"AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN",
	"AWS_ACCOUNT_ID", "AWS_ACCOUNT_ID_ENDPOINT_MODE", "AWS_AUTH_SCHEME_PREFERENCE",
	"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
	"AWS_LOGIN_CACHE_DIRECTORY", "AWS_RESTRICT_FILE_PERMISSIONS",
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_DEFAULTS_MODE", "AWS_CA_BUNDLE",
	"AWS_ENDPOINT_URL*", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_USE_FIPS_ENDPOINT",
	"AWS_ENABLE_ENDPOINT_DISCOVERY", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_DISABLE_CLOCK_SKEW_CORRECTION",
	"AWS_ENABLE_DEFAULT_SOCKET_TIMEOUT_2026",
	"AWS_DISABLE_REQUEST_COMPRESSION", "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
	"AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION",
	"AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_*", "AWS_EC2_METADATA_*",
	"AWS_SDK_UA_APP_ID", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_S3_*",
}

// HTTP are the variables Go's net/http and crypto/x509 read: the proxies (both
// spellings; REQUEST_METHOD makes net/http ignore HTTP_PROXY under CGI) and, on Unix,
// the files of trusted certificate authorities.
var HTTP = []string{
	"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "REQUEST_METHOD",
	"SSL_CERT_FILE", "SSL_CERT_DIR",
}

// Home are the variables os.UserHomeDir reads (HOME; USERPROFILE on Windows;
// home on Plan 9), and with it every file under ~ such as ~/.aws.
var Home = []string{"HOME", "USERPROFILE", "home"}

// Path is the variable that decides which program a command name runs.
var Path = []string{"PATH"}

// Join returns the names of all lists, each once, in order.
func Join(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, n := range l {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}
