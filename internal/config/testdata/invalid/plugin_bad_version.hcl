plugin "vault" {
  source  = "https://example.com/vault"
  version = "latest"
}

role "a" {
  source = "vault"
}
