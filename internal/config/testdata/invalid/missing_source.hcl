role "a" {
  region = "us-east-1"
}
