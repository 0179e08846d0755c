//! Socket options on sockets that tf-provider owns in this process.
//!
//! tf-provider does not set `TCP_NODELAY` on the connection it accepts, so
//! small gRPC frames wait for delayed ACKs (DESIGN.md: a no-op plan of 1000
//! resources 3.5x slower). Its sockets are ours too: we find them by address
//! among `/proc/self/fd` and set the options directly.

use std::io;
use std::mem::{size_of, MaybeUninit};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::RawFd;

/// The TCP socket of this process bound to `local`: connected to `peer`
/// when given, else the listening one.
pub(crate) fn find(local: SocketAddr, peer: Option<SocketAddr>) -> Option<RawFd> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    entries.flatten().find_map(|entry| {
        let fd: RawFd = entry.file_name().to_str()?.parse().ok()?;
        let target = std::fs::read_link(entry.path()).ok()?;
        if !target.to_string_lossy().starts_with("socket:") {
            return None;
        }
        if address(fd, libc::getsockname).ok()? != local {
            return None;
        }
        let matches = match peer {
            Some(peer) => address(fd, libc::getpeername).ok() == Some(peer),
            None => is_listening(fd),
        };
        matches.then_some(fd)
    })
}

/// Turns Nagle's algorithm off on `fd`.
pub(crate) fn set_nodelay(fd: RawFd) -> io::Result<()> {
    let on: libc::c_int = 1;
    // SAFETY: a plain setsockopt with a pointer to a live c_int.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&on as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    check(rc)
}

/// Makes the listening socket `fd` drop every packet that arrives for it
/// from now on, so no new connection can be made to it. Connections it
/// accepted before keep working (each has its own socket).
pub(crate) fn refuse_new_connections(fd: RawFd) -> io::Result<()> {
    // One classic BPF instruction, `ret #0`: keep zero bytes of the packet.
    let mut program = [libc::sock_filter {
        code: (libc::BPF_RET | libc::BPF_K) as u16,
        jt: 0,
        jf: 0,
        k: 0,
    }];
    let fprog = libc::sock_fprog {
        len: program.len() as u16,
        filter: program.as_mut_ptr(),
    };
    // SAFETY: setsockopt copies the program before returning.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ATTACH_FILTER,
            (&fprog as *const libc::sock_fprog).cast(),
            size_of::<libc::sock_fprog>() as libc::socklen_t,
        )
    };
    check(rc)
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn is_listening(fd: RawFd) -> bool {
    let mut value: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `value`.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ACCEPTCONN,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    rc == 0 && value == 1
}

type NameFn =
    unsafe extern "C" fn(libc::c_int, *mut libc::sockaddr, *mut libc::socklen_t) -> libc::c_int;

/// `getsockname` or `getpeername` of `fd` as a [`SocketAddr`].
fn address(fd: RawFd, name: NameFn) -> io::Result<SocketAddr> {
    let mut storage = MaybeUninit::<libc::sockaddr_storage>::zeroed();
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: the call writes at most `len` bytes into `storage`.
    check(unsafe { name(fd, storage.as_mut_ptr().cast(), &mut len) })?;
    // SAFETY: zero-initialised, then filled in by the kernel.
    let storage = unsafe { storage.assume_init() };
    match storage.ss_family as libc::c_int {
        libc::AF_INET => {
            // SAFETY: the family says this is a sockaddr_in.
            let a: libc::sockaddr_in =
                unsafe { std::ptr::read((&storage as *const libc::sockaddr_storage).cast()) };
            let ip = Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr));
            Ok(SocketAddr::new(IpAddr::V4(ip), u16::from_be(a.sin_port)))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says this is a sockaddr_in6.
            let a: libc::sockaddr_in6 =
                unsafe { std::ptr::read((&storage as *const libc::sockaddr_storage).cast()) };
            let ip = Ipv6Addr::from(a.sin6_addr.s6_addr);
            Ok(SocketAddr::new(IpAddr::V6(ip), u16::from_be(a.sin6_port)))
        }
        _ => Err(io::Error::other("not an IP socket")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};
    use std::os::fd::AsRawFd;
    use std::time::Duration;

    fn nodelay(fd: RawFd) -> bool {
        let mut value: libc::c_int = 0;
        let mut len = size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: as in is_listening.
        unsafe {
            libc::getsockopt(
                fd,
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&mut value as *mut libc::c_int).cast(),
                &mut len,
            )
        };
        value != 0
    }

    #[test]
    fn finds_sockets_by_address_and_sets_options() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).unwrap();
        let (accepted, _) = listener.accept().unwrap();

        assert_eq!(find(addr, None), Some(listener.as_raw_fd()));
        let fd = find(addr, Some(client.local_addr().unwrap())).unwrap();
        assert_eq!(fd, accepted.as_raw_fd());
        assert_eq!(
            find(client.local_addr().unwrap(), Some(addr)),
            Some(client.as_raw_fd())
        );

        assert!(!nodelay(fd));
        set_nodelay(fd).unwrap();
        assert!(nodelay(fd));
    }

    #[test]
    fn a_filtered_listener_takes_no_new_connections() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let before = TcpStream::connect(addr).unwrap();
        let (mut accepted, _) = listener.accept().unwrap();

        refuse_new_connections(listener.as_raw_fd()).unwrap();
        // The SYN is dropped, so the connect can only time out.
        let err = TcpStream::connect_timeout(&addr, Duration::from_millis(300)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut, "{err}");

        use std::io::{Read, Write};
        (&before).write_all(b"ping").unwrap();
        let mut buf = [0u8; 4];
        accepted.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping", "the earlier connection still works");
    }
}
