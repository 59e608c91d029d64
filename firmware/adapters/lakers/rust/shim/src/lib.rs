//! certcost's C interface to lakers' EDHOC initiator (RFC 9528, method 3 =
//! static-static DH, cipher suite 2 = P-256 / AES-CCM-16-64-128 / SHA-256),
//! for the firmware's lakers adapter (firmware/adapters/lakers/edhoc.c).
//!
//! One session lives in memory the caller provides (at least
//! `cc_lakers_session_size()` bytes, 8-byte aligned), so its state is on
//! the caller's stack, not in static RAM: the typestates lakers hands back
//! after each step are moved into it. The steps are the initiator's:
//! prepare message_1, process message_2 (parse, check the responder's
//! credential, verify MAC_2), prepare message_3 (PRK_out), then the EDHOC
//! exporter (OSCORE master secret and salt, RFC 9528 Appendix A.1).
//!
//! Randomness (the ephemeral key X, nothing else: C_I is the caller's) comes
//! from the firmware's seeded `cc_rng_fill`, so counts repeat; a panic calls
//! the firmware's `cc_lakers_panic`, which faults so the harness reports it.
#![no_std]

use core::mem::{align_of, size_of, MaybeUninit};
use core::slice;

use lakers::{
    credential_check_or_fetch, ConnId, Credential, CredentialTransfer, EDHOCError, EDHOCMethod,
    EDHOCSuite, EdhocInitiator, EdhocInitiatorProcessedM2, EdhocInitiatorProcessingM2, EdhocInitiatorWaitM2, IdCred,
    EdhocMessageBuffer, EdhocResponderDone,
};
use lakers_crypto_rustcrypto::Crypto;

extern "C" {
    fn cc_rng_fill(buf: *mut u8, n: usize);
    fn cc_lakers_panic(line: u32) -> !;
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    let line = info.location().map(|l| l.line()).unwrap_or(0);
    unsafe { cc_lakers_panic(line) }
}

/// The firmware's deterministic generator as a `rand_core` RNG. Not
/// entropy: a benchmark device whose counts must repeat.
#[derive(Debug)]
pub struct FirmwareRng;

impl rand_core::RngCore for FirmwareRng {
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
        unsafe { cc_rng_fill(dest.as_mut_ptr(), dest.len()) }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl rand_core::CryptoRng for FirmwareRng {}

type C = Crypto<FirmwareRng>;

enum Session {
    Empty,
    WaitM2(EdhocInitiatorWaitM2<C>),
    // message_2 parsed: C_R and ID_CRED_R as received
    ProcessingM2(Parsed),
    // the responder's credential checked, the own identity set
    Verifying(Checked),
    ProcessedM2(EdhocInitiatorProcessedM2<C>),
    // lakers 0.8.0's initiator completes (no message_4) into this type.
    Done(EdhocResponderDone<C>),
}

struct Parsed {
    state: EdhocInitiatorProcessingM2<C>,
    c_r: ConnId,
    id_cred_r: IdCred,
}

struct Checked {
    state: EdhocInitiatorProcessingM2<C>,
    c_r: ConnId,
    cred_r: Credential,
}

/// Status codes (also in firmware/adapters/lakers/lakers_shim.h and
/// harness/edhoc/device.ts): 0 is success; the shim's own failures are
/// -100..-109; lakers' EDHOCError variants are -200 - their order.
pub const CC_LAKERS_OK: i32 = 0;
pub const CC_LAKERS_E_STATE: i32 = -100; // a step called out of order
pub const CC_LAKERS_E_ARGS: i32 = -101; // a buffer too small or a bad pointer/length
pub const CC_LAKERS_E_CRED: i32 = -102; // a credential that is not a CCS lakers can parse

fn edhoc_error(e: EDHOCError) -> i32 {
    -200 - match e {
        EDHOCError::UnexpectedCredential => 0,
        EDHOCError::MissingIdentity => 1,
        EDHOCError::IdentityAlreadySet => 2,
        EDHOCError::MacVerificationFailed => 3,
        EDHOCError::UnsupportedMethod => 4,
        EDHOCError::UnsupportedCipherSuite => 5,
        EDHOCError::ParsingError => 6,
        EDHOCError::EncodingError => 7,
        EDHOCError::CredentialTooLongError => 8,
        EDHOCError::EadLabelTooLongError => 9,
        EDHOCError::EadTooLongError => 10,
        EDHOCError::EADUnprocessable => 11,
        EDHOCError::AccessDenied => 12,
        _ => 99, // a variant added after lakers 0.8.0
    }
}

/// Bytes (and alignment, at most 8) the caller's session memory needs.
#[no_mangle]
pub extern "C" fn cc_lakers_session_size() -> usize {
    size_of::<Session>()
}

/// Moves the state out of the session if it is in `$variant`, leaving it
/// Empty. Only the variant's fields are copied, not the whole (largest
/// variant's) session: lakers' typestates are large and stack is scarce.
macro_rules! take {
    ($s:expr, $variant:ident) => {
        match $s {
            Session::$variant(..) => {
                let p = $s as *mut Session;
                let Session::$variant(a) = &*p else { unreachable!() };
                let v = core::ptr::read(a);
                core::ptr::write(p, Session::Empty);
                Some(v)
            }
            _ => None,
        }
    };
}

unsafe fn session<'a>(mem: *mut u8) -> &'a mut Session {
    &mut *(mem as *mut Session)
}

unsafe fn bytes<'a>(p: *const u8, n: usize) -> &'a [u8] {
    if n == 0 {
        &[]
    } else {
        slice::from_raw_parts(p, n)
    }
}

fn put(out: *mut u8, cap: usize, len: *mut usize, msg: &EdhocMessageBuffer) -> i32 {
    let m = msg.as_slice();
    if m.len() > cap {
        return CC_LAKERS_E_ARGS;
    }
    unsafe {
        core::ptr::copy_nonoverlapping(m.as_ptr(), out, m.len());
        *len = m.len();
    }
    CC_LAKERS_OK
}

/// Starts a session in `mem` (`cap` bytes) and writes message_1 with the
/// connection identifier `c_i` (one CBOR byte: an integer -24..23), no EAD.
/// Draws the ephemeral key pair (X, G_X).
#[no_mangle]
pub unsafe extern "C" fn cc_lakers_i_prepare_message_1(
    mem: *mut u8,
    cap: usize,
    c_i: u8,
    m1: *mut u8,
    m1_cap: usize,
    m1_len: *mut usize,
) -> i32 {
    if cap < size_of::<Session>() || (mem as usize) % align_of::<Session>() != 0 {
        return CC_LAKERS_E_ARGS;
    }
    if !((c_i >> 5) <= 1 && (c_i & 0x1f) < 24) {
        return CC_LAKERS_E_ARGS;
    }
    (mem as *mut MaybeUninit<Session>).write(MaybeUninit::new(Session::Empty));
    let initiator = EdhocInitiator::new(
        Crypto::new(FirmwareRng),
        EDHOCMethod::StatStat,
        EDHOCSuite::CipherSuite2,
    );
    #[allow(deprecated)]
    let c_i = ConnId::from_int_raw(c_i);
    match initiator.prepare_message_1(Some(c_i), &None) {
        Ok((state, message_1)) => {
            *session(mem) = Session::WaitM2(state);
            put(m1, m1_cap, m1_len, &message_1)
        }
        Err(e) => edhoc_error(e),
    }
}

/// Processes message_2: decrypts it, checks that ID_CRED_R names the
/// expected responder credential `cred_r` (a CCS, by kid or by value),
/// sets the initiator's own identity (static private key `i`, 32 bytes,
/// and its credential `cred_i`, a CCS) and verifies MAC_2. Writes C_R
/// (its CBOR encoding, at most 8 bytes) to `c_r` and its length to `c_r_len`.
///
/// Three steps that are never inlined into one another, each leaving its
/// product in the session: lakers moves its large typestates by value, and
/// one merged frame would hold every step's copies at once (5.6 KB on the
/// M4 with everything inlined, against the micro:bit's few KB of stack).
#[no_mangle]
pub unsafe extern "C" fn cc_lakers_i_process_message_2(
    mem: *mut u8,
    m2: *const u8,
    m2_len: usize,
    cred_r: *const u8,
    cred_r_len: usize,
    i: *const u8,
    cred_i: *const u8,
    cred_i_len: usize,
    c_r: *mut u8,
    c_r_len: *mut usize,
) -> i32 {
    let s = session(mem);
    let st = parse_message_2(s, bytes(m2, m2_len));
    if st != CC_LAKERS_OK {
        return st;
    }
    let st = check_credentials(s, bytes(cred_r, cred_r_len), bytes(i, 32), bytes(cred_i, cred_i_len));
    if st != CC_LAKERS_OK {
        return st;
    }
    verify_message_2(s, c_r, c_r_len)
}

#[inline(never)]
fn parse_message_2(s: &mut Session, m2: &[u8]) -> i32 {
    let Some(state) = (unsafe { take!(s, WaitM2) }) else {
        return CC_LAKERS_E_STATE;
    };
    let Ok(message_2) = EdhocMessageBuffer::new_from_slice(m2) else {
        return CC_LAKERS_E_ARGS;
    };
    match state.parse_message_2(&message_2) {
        Ok((state, c_r, id_cred_r, _ead_2)) => {
            *s = Session::ProcessingM2(Parsed { state, c_r, id_cred_r });
            CC_LAKERS_OK
        }
        Err(e) => edhoc_error(e),
    }
}

#[inline(never)]
fn check_credentials(s: &mut Session, cred_r: &[u8], i: &[u8], cred_i: &[u8]) -> i32 {
    let Session::ProcessingM2(p) = s else {
        return CC_LAKERS_E_STATE;
    };
    let Ok(expected_r) = Credential::parse_ccs(cred_r) else {
        return CC_LAKERS_E_CRED;
    };
    let valid_r = match credential_check_or_fetch(Some(expected_r), p.id_cred_r) {
        Ok(c) => c,
        Err(e) => return edhoc_error(e),
    };
    let Ok(own) = Credential::parse_ccs(cred_i) else {
        return CC_LAKERS_E_CRED;
    };
    let mut key = [0u8; 32];
    key.copy_from_slice(i);
    if let Err(e) = p.state.set_identity(key, own) {
        return edhoc_error(e);
    }
    // The checked credential replaces ID_CRED_R, which is no longer needed.
    let Some(p) = (unsafe { take!(s, ProcessingM2) }) else {
        return CC_LAKERS_E_STATE;
    };
    *s = Session::Verifying(Checked { state: p.state, c_r: p.c_r, cred_r: valid_r });
    CC_LAKERS_OK
}

#[inline(never)]
unsafe fn verify_message_2(s: &mut Session, c_r: *mut u8, c_r_len: *mut usize) -> i32 {
    let Some(v) = take!(s, Verifying) else {
        return CC_LAKERS_E_STATE;
    };
    match v.state.verify_message_2(v.cred_r) {
        Ok(next) => {
            *s = Session::ProcessedM2(next);
            let enc = v.c_r.as_cbor();
            core::ptr::copy_nonoverlapping(enc.as_ptr(), c_r, enc.len());
            *c_r_len = enc.len();
            CC_LAKERS_OK
        }
        Err(e) => edhoc_error(e),
    }
}

/// Writes message_3 (ID_CRED_I by value, a kccs map, if `by_value`, else by
/// kid) and PRK_out (32 bytes); the session is then complete (no message_4).
#[no_mangle]
pub unsafe extern "C" fn cc_lakers_i_prepare_message_3(
    mem: *mut u8,
    by_value: i32,
    m3: *mut u8,
    m3_cap: usize,
    m3_len: *mut usize,
    prk_out: *mut u8,
) -> i32 {
    let s = session(mem);
    let Some(state) = take!(s, ProcessedM2) else {
        return CC_LAKERS_E_STATE;
    };
    let transfer = if by_value != 0 { CredentialTransfer::ByValue } else { CredentialTransfer::ByReference };
    match state.prepare_message_3(transfer, &None) {
        Ok((wait_m4, message_3, prk)) => {
            let st = put(m3, m3_cap, m3_len, &message_3);
            if st != CC_LAKERS_OK {
                return st;
            }
            core::ptr::copy_nonoverlapping(prk.as_ptr(), prk_out, prk.len());
            match wait_m4.completed_without_message_4() {
                Ok(done) => {
                    *s = Session::Done(done);
                    CC_LAKERS_OK
                }
                Err(e) => edhoc_error(e),
            }
        }
        Err(e) => edhoc_error(e),
    }
}

/// EDHOC_Exporter(label, h'', len) of a complete session (RFC 9528 4.2.1):
/// label 0 is the OSCORE Master Secret (16 bytes), 1 the Master Salt (8).
#[no_mangle]
pub unsafe extern "C" fn cc_lakers_i_exporter(mem: *mut u8, label: u8, out: *mut u8, len: usize) -> i32 {
    let Session::Done(done) = session(mem) else {
        return CC_LAKERS_E_STATE;
    };
    if len > 64 {
        return CC_LAKERS_E_ARGS;
    }
    let v = done.edhoc_exporter(label, &[], len);
    core::ptr::copy_nonoverlapping(v.as_ptr(), out, len);
    CC_LAKERS_OK
}

/// Ends a session (whatever its step): its keys are overwritten.
#[no_mangle]
pub unsafe extern "C" fn cc_lakers_drop(mem: *mut u8) {
    core::ptr::write_bytes(mem, 0, size_of::<Session>());
    (mem as *mut Session).write(Session::Empty);
}
