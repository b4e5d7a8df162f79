plugin "vault" {
  source      = "https://example.com/vault"
  version     = "~> 1.2"
  signing_key = "rsa:abc"
}

role "a" {
  source = "vault"
}
