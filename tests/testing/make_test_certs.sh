#!/usr/bin/env bash
# Makes a throwaway test CA and a server certificate signed by it, for the HTTPS tests:
#   tests/testing/make_test_certs.sh DIR
# writes DIR/ca.pem, DIR/server.pem and DIR/server.key (P-256, valid one day). The server
# certificate names localhost, 127.0.0.1, ::1 and the KMS host names the dual-stack test maps to
# ::1. Nothing here is ever committed: the tests make fresh keys on every run.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 1 -subj "/CN=Envelope test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req $ec -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,DNS:kms.us-east-1.api.aws,DNS:kms.us-east-1.amazonaws.com" \
  "extendedKeyUsage=serverAuth" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
  -extfile server.ext -out server.pem 2>/dev/null
chmod 600 ca.key server.key
rm -f server.csr server.ext ca.srl
