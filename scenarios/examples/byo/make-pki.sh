#!/usr/bin/env bash
# Makes the example's own PKI with openssl, into certs/ next to this script:
# an RSA-2048 root, a P-256 intermediate it signs, a P-256 server leaf and a
# P-256 device leaf the intermediate signs. It stands for the CA chain of a
# real deployment; byo-*.yaml point at these files. A second run keeps them.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p certs
cd certs
[ -f server-chain.pem ] && exit 0
ossl() { openssl "$@" 2>/dev/null; }
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root.key
ossl req -x509 -new -key root.key -sha256 -days 3650 -subj "/O=Example Fleet/CN=Example Root CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out root.pem
for k in intermediate server device; do ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$k.key"; done
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > ca.ext
ossl req -new -key intermediate.key -subj "/O=Example Fleet/CN=Example Devices CA" -out intermediate.csr
ossl x509 -req -in intermediate.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3000 -sha256 -extfile ca.ext -out intermediate.pem
for who in server device; do
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=DNS:%s.example.net\n' \
    "$([ $who = server ] && echo serverAuth || echo clientAuth)" "$who" > "$who.ext"
  ossl req -new -key "$who.key" -subj "/O=Example Fleet/CN=$who.example.net" -out "$who.csr"
  ossl x509 -req -in "$who.csr" -CA intermediate.pem -CAkey intermediate.key -CAcreateserial -days 730 -sha256 -extfile "$who.ext" -out "$who.pem"
done
cat server.pem intermediate.pem > server-chain.pem
cat device.pem intermediate.pem > device-chain.pem
rm -f ./*.csr ./*.ext ./*.srl
echo "make-pki: certs/ has root.pem (RSA-2048), intermediate.pem, server-chain.pem, device-chain.pem and their keys"
