# iot.hcl: credentials for a device, from the AWS IoT Core credentials provider. The
# device proves who it is with its X.509 certificate (TLS client authentication); AWS
# IoT answers with the credentials of the IAM role that the role alias points at.
#
#   brs -c examples/hcl/iot.hcl validate
#   brs -c examples/hcl/iot.hcl credential-process sensor
#
# The iot source is the built-in plugin brs-plugin-iot (go install ./cmd/...), found
# without a plugin block. The files are read at every refresh, so a rotated
# certificate is used from the next refresh on; brs validate reads none of them.
#
# Environment:
#   BRS_IOT_ENDPOINT  aws iot describe-endpoint --endpoint-type iot:CredentialProvider
#   BRS_IOT_THING     the thing the certificate is attached to
#   BRS_IOT_DIR       where the device's files are

role "sensor" {
  source = "iot"
  region = "eu-west-1" # for AWSConfig; the endpoint decides where credentials come from

  config {
    # Required: the account's credentials provider endpoint (not the -ats data endpoint).
    endpoint = env("BRS_IOT_ENDPOINT", "c2sbrzohfnbcau.credentials.iot.eu-west-1.amazonaws.com")

    # Required: the role alias (aws iot create-role-alias) whose role to assume.
    role_alias = "sensor-uploader"

    # Sent as x-amzn-iot-thingname. Needed when the certificate's IoT policy uses
    # ${credentials-iot:ThingName} or thing attributes; leave it out otherwise.
    thing_name = env("BRS_IOT_THING", "sensor-0042")

    # Required: the device certificate and its unencrypted private key, PEM, absolute
    # paths. cert may be followed by intermediate CA certificates.
    cert = "${env("BRS_IOT_DIR", "/etc/aws-iot")}/device.pem.crt"
    key  = "${env("BRS_IOT_DIR", "/etc/aws-iot")}/private.pem.key"

    # The CA that signs the endpoint's certificate; default: the system's roots,
    # which hold Amazon Root CA 1 on most systems.
    ca = "${env("BRS_IOT_DIR", "/etc/aws-iot")}/AmazonRootCA1.pem"

    # One request, handshake included; default 10s.
    timeout = "15s"
  }
}
