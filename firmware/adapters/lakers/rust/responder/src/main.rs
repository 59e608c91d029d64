//! certcost's EDHOC responder: lakers 0.8.0 built for the host, answering a
//! device initiator over raw UDP on loopback (one EDHOC message per
//! datagram, no CoAP), method 3 (static-static DH), cipher suite 2.
//!
//! Usage:
//!   certcost-edhoc-responder --host 127.0.0.1 --port 0 --r HEX32 --cred-r HEX
//!       --cred-i HEX --c-r HEXBYTE [--by-value] --seed HEX
//!
//! `--r` is the responder's static private key, `--cred-r` its credential
//! (a CCS), `--cred-i` the initiator credential it accepts (ID_CRED_I must
//! name it, by kid or by value), `--c-r` its connection identifier (one CBOR
//! byte), `--by-value` sends ID_CRED_R as the CCS itself (kccs) instead of
//! its kid. The ephemeral key of session n is drawn from SHA-256(seed || n)
//! blocks, so a run repeats. Prints `listening PORT`, then one JSON line per
//! completed or failed session, with what the harness checks: the ephemeral
//! private key y (the harness recomputes the whole key schedule from it and
//! the static keys), PRK_out and the OSCORE master secret and salt.
//! A repeated message_1 gets the same message_2 again (the device
//! retransmits when message_2 is late). Runs until killed.

use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::net::{SocketAddr, UdpSocket};

use lakers::{
    credential_check_or_fetch, ConnId, Credential, CredentialTransfer, EDHOCMethod,
    EdhocMessageBuffer, EdhocResponder, EdhocResponderWaitM3,
};
use lakers_crypto_rustcrypto::Crypto as RustCrypto;
use lakers_shared::{
    BufferCiphertext3, BufferPlaintext3, BytesCcmIvLen, BytesCcmKeyLen, BytesHashLen,
    BytesMaxBuffer, BytesMaxInfoBuffer, BytesP256ElemLen, Crypto as CryptoTrait, EDHOCError,
};
use sha2::Digest;

/// Deterministic generator: SHA-256(seed || counter) blocks.
struct SeededRng {
    seed: Vec<u8>,
    counter: u64,
    block: [u8; 32],
    used: usize,
}

impl SeededRng {
    fn new(seed: Vec<u8>) -> Self {
        SeededRng { seed, counter: 0, block: [0; 32], used: 32 }
    }
}

impl rand_core::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for d in dest.iter_mut() {
            if self.used == 32 {
                let mut h = sha2::Sha256::new();
                h.update(&self.seed);
                h.update(self.counter.to_be_bytes());
                self.block = h.finalize().into();
                self.counter += 1;
                self.used = 0;
            }
            *d = self.block[self.used];
            self.used += 1;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl rand_core::CryptoRng for SeededRng {}

/// lakers' RustCrypto back-end, keeping the ephemeral private key it draws
/// so that it can be reported.
struct Recording {
    inner: RustCrypto<SeededRng>,
    ephemeral: Rc<Cell<Option<BytesP256ElemLen>>>,
}

impl core::fmt::Debug for Recording {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Recording")
    }
}

impl CryptoTrait for Recording {
    fn sha256_digest(&mut self, message: &BytesMaxBuffer, message_len: usize) -> BytesHashLen {
        self.inner.sha256_digest(message, message_len)
    }
    fn hkdf_expand(&mut self, prk: &BytesHashLen, info: &BytesMaxInfoBuffer, info_len: usize, length: usize) -> BytesMaxBuffer {
        self.inner.hkdf_expand(prk, info, info_len, length)
    }
    fn hkdf_extract(&mut self, salt: &BytesHashLen, ikm: &BytesP256ElemLen) -> BytesHashLen {
        self.inner.hkdf_extract(salt, ikm)
    }
    fn aes_ccm_encrypt_tag_8(&mut self, key: &BytesCcmKeyLen, iv: &BytesCcmIvLen, ad: &[u8], plaintext: &BufferPlaintext3) -> BufferCiphertext3 {
        self.inner.aes_ccm_encrypt_tag_8(key, iv, ad, plaintext)
    }
    fn aes_ccm_decrypt_tag_8(&mut self, key: &BytesCcmKeyLen, iv: &BytesCcmIvLen, ad: &[u8], ciphertext: &BufferCiphertext3) -> Result<BufferPlaintext3, EDHOCError> {
        self.inner.aes_ccm_decrypt_tag_8(key, iv, ad, ciphertext)
    }
    fn p256_ecdh(&mut self, private_key: &BytesP256ElemLen, public_key: &BytesP256ElemLen) -> BytesP256ElemLen {
        self.inner.p256_ecdh(private_key, public_key)
    }
    fn get_random_byte(&mut self) -> u8 {
        self.inner.get_random_byte()
    }
    fn p256_generate_key_pair(&mut self) -> (BytesP256ElemLen, BytesP256ElemLen) {
        let (private, public) = self.inner.p256_generate_key_pair();
        self.ephemeral.set(Some(private));
        (private, public)
    }
}

struct Args {
    host: String,
    port: u16,
    r: [u8; 32],
    cred_r: Vec<u8>,
    cred_i: Vec<u8>,
    c_r: u8,
    by_value: bool,
    seed: Vec<u8>,
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if s.len() % 2 != 0 {
        return Err(format!("odd-length hex: {s}"));
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("bad hex {s}: {e}"))).collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args { host: "127.0.0.1".into(), port: 0, r: [0; 32], cred_r: vec![], cred_i: vec![], c_r: 0x27, by_value: false, seed: vec![] };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = || it.next().ok_or(format!("{k} needs a value"));
        match k.as_str() {
            "--host" => a.host = val()?,
            "--port" => a.port = val()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--r" => a.r = unhex(&val()?)?.try_into().map_err(|_| "--r: 32 bytes".to_string())?,
            "--cred-r" => a.cred_r = unhex(&val()?)?,
            "--cred-i" => a.cred_i = unhex(&val()?)?,
            "--c-r" => a.c_r = *unhex(&val()?)?.first().ok_or("--c-r: one byte")?,
            "--by-value" => a.by_value = true,
            "--seed" => a.seed = unhex(&val()?)?,
            _ => return Err(format!("unknown argument {k}")),
        }
    }
    if a.cred_r.is_empty() || a.cred_i.is_empty() {
        return Err("--cred-r and --cred-i are required".into());
    }
    Ok(a)
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

struct Waiting {
    peer: SocketAddr,
    message_1: Vec<u8>,
    message_2: Vec<u8>,
    state: EdhocResponderWaitM3<Recording>,
    y: BytesP256ElemLen,
    c_i: Vec<u8>,
}

/// message_1 -> message_2, or why not.
fn answer(a: &Args, session: u64, m1: &[u8], cred_r: Credential) -> Result<(EdhocResponderWaitM3<Recording>, Vec<u8>, BytesP256ElemLen, Vec<u8>), String> {
    let mut seed = a.seed.clone();
    seed.extend_from_slice(&session.to_be_bytes());
    // EdhocResponder::new draws (y, G_Y) from the back-end, which keeps y.
    let drawn = Rc::new(Cell::new(None));
    let crypto = Recording { inner: RustCrypto::new(SeededRng::new(seed)), ephemeral: drawn.clone() };
    let responder = EdhocResponder::new(crypto, EDHOCMethod::StatStat, a.r, cred_r);
    let y = drawn.get().ok_or("no ephemeral key drawn")?;
    let message_1 = EdhocMessageBuffer::new_from_slice(m1).map_err(|_| "message_1 too long".to_string())?;
    let (processed, c_i, _ead_1) = responder.process_message_1(&message_1).map_err(|e| format!("process_message_1: {e:?}"))?;
    #[allow(deprecated)]
    let c_r = ConnId::from_int_raw(a.c_r);
    let transfer = if a.by_value { CredentialTransfer::ByValue } else { CredentialTransfer::ByReference };
    let (wait, message_2) = processed.prepare_message_2(transfer, Some(c_r), &None).map_err(|e| format!("prepare_message_2: {e:?}"))?;
    Ok((wait, message_2.as_slice().to_vec(), y, c_i.as_cbor().to_vec()))
}

fn main() {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("certcost-edhoc-responder: {e}");
            std::process::exit(2);
        }
    };
    let cred_r = Credential::parse_ccs(&a.cred_r).expect("--cred-r is not a CCS lakers can parse");
    let cred_i = Credential::parse_ccs(&a.cred_i).expect("--cred-i is not a CCS lakers can parse");
    let sock = UdpSocket::bind((a.host.as_str(), a.port)).expect("bind");
    say(&format!("listening {}", sock.local_addr().expect("local address").port()));
    let mut session: u64 = 0;
    let mut waiting: Option<Waiting> = None;
    let mut buf = [0u8; 2048];
    loop {
        let (n, from) = match sock.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e) => {
                say(&format!("{{\"session\":{session},\"error\":\"recv: {e}\"}}"));
                continue;
            }
        };
        let d = &buf[..n];
        if let Some(w) = &waiting {
            if w.peer == from && w.message_1 == d {
                let _ = sock.send_to(&w.message_2, from);
                continue;
            }
        }
        match waiting.take() {
            Some(w) if w.peer == from => {
                // message_3
                let result = (|| -> Result<String, String> {
                    let m3 = EdhocMessageBuffer::new_from_slice(d).map_err(|_| "message_3 too long".to_string())?;
                    let (processing, id_cred_i, _ead_3) = w.state.parse_message_3(&m3).map_err(|e| format!("parse_message_3: {e:?}"))?;
                    let valid_i = credential_check_or_fetch(Some(cred_i), id_cred_i).map_err(|e| format!("ID_CRED_I: {e:?}"))?;
                    let (processed, prk_out) = processing.verify_message_3(valid_i).map_err(|e| format!("verify_message_3: {e:?}"))?;
                    let mut done = processed.completed_without_message_4().map_err(|e| format!("complete: {e:?}"))?;
                    let secret = done.edhoc_exporter(0, &[], 16);
                    let salt = done.edhoc_exporter(1, &[], 8);
                    Ok(format!(
                        "{{\"session\":{session},\"y\":\"{}\",\"c_i\":\"{}\",\"prk_out\":\"{}\",\"oscore_secret\":\"{}\",\"oscore_salt\":\"{}\"}}",
                        hex(&w.y), hex(&w.c_i), hex(&prk_out), hex(&secret[..16]), hex(&salt[..8])
                    ))
                })();
                match result {
                    Ok(line) => say(&line),
                    Err(e) => say(&format!("{{\"session\":{session},\"error\":\"{e}\"}}")),
                }
                session += 1;
            }
            _ => {
                // message_1 (a new session; a half-done one from another peer is dropped)
                match answer(&a, session, d, cred_r) {
                    Ok((state, message_2, y, c_i)) => {
                        let _ = sock.send_to(&message_2, from);
                        waiting = Some(Waiting { peer: from, message_1: d.to_vec(), message_2, state, y, c_i });
                    }
                    Err(e) => {
                        say(&format!("{{\"session\":{session},\"error\":\"{e}\"}}"));
                        session += 1;
                    }
                }
            }
        }
    }
}

