role "a" {
  source = "sts"
  regoin = "us-east-1"
}
