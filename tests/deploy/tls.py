"""A throwaway certificate authority and a server certificate for the test's host names, made by the test.

A CA and a leaf rather than one self-signed leaf: Python's and OpenSSL's strict verification accept
a CA as the trust anchor (`verify=ca.pem`), and Chromium is told to trust the leaf by the hash of its
public key (`--ignore-certificate-errors-spki-list`), which excuses that one key and nothing else.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class ServerCertificate:
    ca: Path  # what a client trusts
    chain: Path  # what nginx serves: the leaf, then the CA
    key: Path
    spki_sha256: str  # base64 SHA-256 of the leaf's SubjectPublicKeyInfo, as Chromium wants it


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject: str, issuer: str, public_key, issuer_key) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                           critical=False))


def _ca(key) -> x509.Certificate:
    return (_builder("OSS Console smoke-test CA", "OSS Console smoke-test CA", key.public_key(), key)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))


def _leaf(key, ca_key, hosts: list[str]) -> x509.Certificate:
    names = [*map(x509.DNSName, hosts), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    return (_builder(hosts[0], "OSS Console smoke-test CA", key.public_key(), ca_key)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def make_server_certificate(directory: Path, hosts: list[str]) -> ServerCertificate:
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _ca(ca_key)
    leaf = _leaf(key, ca_key, hosts)
    paths = ServerCertificate(ca=directory / "ca.pem", chain=directory / "server-chain.pem",
                              key=directory / "server.key", spki_sha256=spki_sha256(leaf))
    paths.ca.write_bytes(_pem(ca))
    paths.chain.write_bytes(_pem(leaf) + _pem(ca))
    paths.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    paths.key.chmod(0o600)
    return paths


def spki_sha256(cert: x509.Certificate) -> str:
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()
