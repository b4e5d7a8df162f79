# ecs.hcl: credentials from a container credentials endpoint — the ECS agent in an
# ECS task, the EKS Pod Identity agent in an EKS pod, or `brs serve` on this machine.
# The defaults below are the values those environments use; the AWS_CONTAINER_*
# variables, which ECS and EKS set in the container, override them.
#
#   brs -c examples/hcl/ecs.hcl validate
#   brs -c examples/hcl/ecs.hcl credential-process task
#
# The ecs source is the built-in plugin brs-plugin-ecs (go install ./cmd/...), found
# without a plugin block. Plain http is allowed only to loopback addresses, the ECS
# agent (169.254.170.2) and the EKS Pod Identity agent (169.254.170.23,
# fd00:ec2::23); any other host needs https.
#
# Environment:
#   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI  the task's path on the ECS agent
#   AWS_CONTAINER_CREDENTIALS_FULL_URI      the EKS Pod Identity agent's URL
#   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE  the pod's rotating token file
#   BRS_SERVE_URI, BRS_SERVE_TOKEN          a role served by `brs serve`

# An ECS task role: relative_uri is a path on http://169.254.170.2.
role "task" {
  source = "ecs"
  config {
    relative_uri = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/00000000-0000-0000-0000-000000000000")
    timeout      = "2s" # one request; default 5s
  }
}

# An EKS Pod Identity association: the token file is read again at every refresh,
# because EKS rotates it.
role "pod" {
  source = "ecs"
  refresh {
    advisory = "15m" # the agent hands out credentials for 6 hours at most
  }
  config {
    uri        = env("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials")
    token_file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token")
  }
}

# A role that `brs serve` serves at /roles/NAME, with the token it prints. token is
# sensitive: brs redacts it from every log line and error.
role "served" {
  source = "ecs"
  config {
    uri   = env("BRS_SERVE_URI", "http://127.0.0.1:9911/roles/analytics")
    token = env("BRS_SERVE_TOKEN", "")
  }
}
