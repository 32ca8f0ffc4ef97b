"""Linux network namespaces for NAT tests: phones and PBXs behind routers, all on one host.

Needs root, iproute2 and nftables. Everything a Lab creates (namespaces, veth pairs, bridges,
nftables rules, processes started in a namespace) is removed when the Lab's `with` block ends,
also on failure and on SIGTERM (CTest's timeout). Names carry the test's pid, so tests run in
parallel do not clash; namespaces left over by a test that was killed outright are removed by
the next Lab. Addresses are test-only ranges (10.231.0.0/16 for LANs, 198.18.0.0/15, the
RFC 2544 benchmark range, for "the internet") and exist only inside the namespaces.

    with netns.phone_behind_nat() as net:
        pbx = net.pbx.popen(starling.command("serve"), cwd=starling.directory)
        net.phone1.run(["sipp", ...])          # reaches the PBX through the NAT
    # here every namespace, interface and process of the topology is gone

Run this file as a script for a self-check: UDP and TCP echoes through both topologies.
"""

import contextlib
import ipaddress
import os
import re
import signal
import subprocess
import sys
import time

# The prefix of every namespace name: "stn<pid>-<lab>-<role>".
_PREFIX = "stn"
_NAME = re.compile(rf"^{_PREFIX}(\d+)-")
# How long processes get between SIGTERM and SIGKILL at cleanup.
_STOP_GRACE_SECONDS = 3.0
_lab_counter = 0


def _command(args, input_text=None, check=True):
    result = subprocess.run(args, input=input_text, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def _pid_alive(pid):
    """False once the process has exited, also while it is a zombie: a test's own children
    (Starling, phones) stay zombies until their Popen is waited for, after the Lab is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def _kill_namespace_processes(name):
    """Kills what still runs in a namespace of ours (by pid, after SIGTERM, SIGKILL)."""
    listed = _command(["ip", "netns", "pids", name], check=False).stdout.split()
    pids = [int(pid) for pid in listed if pid.isdigit()]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        while pids and time.monotonic() < deadline:
            pids = [pid for pid in pids if _pid_alive(pid)]
            time.sleep(0.05)


def remove_stale_namespaces():
    """Deletes namespaces of earlier test processes that no longer run (killed with SIGKILL)."""
    for line in _command(["ip", "netns", "list"], check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        match = _NAME.match(name)
        if match and not _pid_alive(int(match.group(1))):
            _kill_namespace_processes(name)
            _command(["ip", "netns", "del", name], check=False)


class Namespace:
    """One network namespace: its own interfaces, routes, nftables and loopback (up)."""

    def __init__(self, lab, role, name):
        self.lab = lab
        self.role = role
        self.name = name
        # Interface name -> ipaddress.IPv4Interface, in the order they were added.
        self.interfaces = {}
        self._processes = []

    def __repr__(self):
        return f"Namespace({self.role!r}, {self.name!r}, {self.interfaces})"

    @property
    def address(self):
        """The first address assigned here (an ipaddress.IPv4Address), as a string."""
        if not self.interfaces:
            raise RuntimeError(f"namespace {self.role} has no address yet")
        return str(next(iter(self.interfaces.values())).ip)

    def address_on(self, interface):
        return str(self.interfaces[interface].ip)

    def command(self, args):
        """The argument list that runs `args` inside this namespace."""
        return ["ip", "netns", "exec", self.name, *[str(arg) for arg in args]]

    def run(self, args, check=True, timeout=60, **kwargs):
        """Runs a command inside the namespace to completion (text output captured)."""
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("text", True)
        result = subprocess.run(self.command(args), timeout=timeout, check=False, **kwargs)
        if check and result.returncode != 0:
            raise RuntimeError(f"in {self.role}: {' '.join(map(str, args))} failed "
                               f"({result.returncode}): {result.stderr}")
        return result

    def popen(self, args, **kwargs):
        """Starts a command inside the namespace; it is stopped (SIGTERM, then SIGKILL) when
        the lab ends, if it has not exited by then. `ip netns exec` execs the command, so
        the Popen's pid is the command's own."""
        process = subprocess.Popen(self.command(args), **kwargs)
        self._processes.append(process)
        return process

    def ip(self, *args):
        """`ip -n <namespace> ARGS`."""
        return _command(["ip", "-n", self.name, *[str(arg) for arg in args]])

    def nft(self, ruleset):
        """Loads an nftables ruleset (text for `nft -f -`) into this namespace."""
        return _command(["ip", "netns", "exec", self.name, "nft", "-f", "-"], input_text=ruleset)

    def sysctl(self, key, value):
        return _command(["ip", "netns", "exec", self.name, "sysctl", "-q", "-w", f"{key}={value}"])

    def add_default_route(self, via):
        self.ip("route", "replace", "default", "via", via)

    def _stop_processes(self):
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        for process in self._processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Router(Namespace):
    """A namespace that forwards IPv4 between its interfaces, with NAT in nftables."""

    _TABLE = "starling_nat"

    def __init__(self, lab, role, name):
        super().__init__(lab, role, name)
        self._nat_ready = False

    def _ensure_nat_table(self):
        if self._nat_ready:
            return
        self.sysctl("net.ipv4.ip_forward", 1)
        self.nft(f"""table ip {self._TABLE} {{
  chain prerouting {{ type nat hook prerouting priority dstnat; policy accept; }}
  chain postrouting {{ type nat hook postrouting priority srcnat; policy accept; }}
}}
""")
        self._nat_ready = True

    def masquerade(self, out_interface, random_ports=False):
        """Source NAT of everything leaving by `out_interface` to that interface's address,
        as home routers do. random_ports: new source ports for every mapping
        (`fully-random`), as carrier-grade and some consumer NATs do; otherwise Linux keeps
        the source port when it is free."""
        self._ensure_nat_table()
        flags = " fully-random" if random_ports else ""
        self.nft(f'add rule ip {self._TABLE} postrouting oifname "{out_interface}" '
                 f"masquerade{flags}\n")

    def forward_port(self, protocol, port, to_address, to_port=None, in_interface=None,
                     last_port=None):
        """Destination NAT (a port forward): `protocol` ("udp" or "tcp") traffic arriving on
        `in_interface` (default: any interface) for `port` (to `last_port`, a range) goes
        to `to_address` (`to_port`: another port; only for a single port)."""
        self._ensure_nat_table()
        ports = f"{port}-{last_port}" if last_port is not None else f"{port}"
        target = f"{to_address}:{to_port}" if to_port is not None else f"{to_address}"
        match = f'iifname "{in_interface}" ' if in_interface else ""
        self.nft(f"add rule ip {self._TABLE} prerouting {match}{protocol} dport {ports} "
                 f"dnat to {target}\n")

    def set_udp_timeout(self, seconds):
        """How long an idle UDP mapping lives (conntrack, per namespace): NAT bindings that
        expire between a phone's keep-alives."""
        self.sysctl("net.netfilter.nf_conntrack_udp_timeout", seconds)
        self.sysctl("net.netfilter.nf_conntrack_udp_timeout_stream", seconds)

    def ruleset(self):
        """`nft list ruleset` of this router, for failure messages."""
        return _command(["ip", "netns", "exec", self.name, "nft", "list", "ruleset"]).stdout


class Switch:
    """An Ethernet segment: a bridge in a namespace of its own, with hosts attached by veth."""

    def __init__(self, namespace, subnet):
        self.namespace = namespace
        self.subnet = ipaddress.IPv4Network(subnet)
        self._ports = 0
        namespace.ip("link", "add", "br0", "type", "bridge")
        namespace.ip("link", "set", "br0", "up")

    def attach(self, namespace, host, interface=None):
        """Connects `namespace` with the address number `host` of the subnet (e.g. 1 for
        198.18.1.1) on `interface` (default "wan" for a router, else "eth0"). Returns the
        address as a string."""
        self._ports += 1
        if interface is None:
            interface = "wan" if isinstance(namespace, Router) else "eth0"
        bridge_port = f"p{self._ports}"
        address = ipaddress.IPv4Interface(f"{self.subnet[host]}/{self.subnet.prefixlen}")
        self.namespace.lab._veth(namespace, interface, self.namespace, bridge_port)
        self.namespace.ip("link", "set", bridge_port, "master", "br0")
        self.namespace.ip("link", "set", bridge_port, "up")
        namespace.ip("address", "add", str(address), "dev", interface)
        namespace.ip("link", "set", interface, "up")
        namespace.interfaces[interface] = address
        return str(address.ip)


class Lab(contextlib.AbstractContextManager):
    """Owns every namespace made through it and deletes them all on exit."""

    def __init__(self):
        global _lab_counter
        _lab_counter += 1
        self._id = f"{_PREFIX}{os.getpid()}-{_lab_counter}"
        self._namespaces = []
        self._old_sigterm = None

    def __enter__(self):
        if os.geteuid() != 0:
            raise RuntimeError("network namespace tests need root")
        remove_stale_namespaces()
        # CTest ends a test that runs too long with SIGTERM: turn it into an exception, so
        # the `with` blocks still clean up.
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            self._old_sigterm = signal.signal(signal.SIGTERM, _raise_on_sigterm)
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    def close(self):
        for namespace in reversed(self._namespaces):
            namespace._stop_processes()
        for namespace in reversed(self._namespaces):
            _kill_namespace_processes(namespace.name)
            _command(["ip", "netns", "del", namespace.name], check=False)
        self._namespaces = []
        if self._old_sigterm is not None:
            signal.signal(signal.SIGTERM, self._old_sigterm)
            self._old_sigterm = None

    def namespace(self, role, kind=Namespace):
        """A new namespace with loopback up. `role` (letters, digits, '-') names it."""
        if not re.fullmatch(r"[a-z0-9-]{1,20}", role):
            raise ValueError(f"bad role name {role!r}")
        namespace = kind(self, role, f"{self._id}-{role}")
        _command(["ip", "netns", "add", namespace.name])
        self._namespaces.append(namespace)
        namespace.ip("link", "set", "lo", "up")
        return namespace

    def router(self, role):
        """A namespace that forwards IPv4 (ip_forward on) and can NAT (see Router)."""
        router = self.namespace(role, kind=Router)
        router.sysctl("net.ipv4.ip_forward", 1)
        return router

    def switch(self, role, subnet):
        """An Ethernet segment on `subnet` (e.g. "198.18.1.0/24") to attach hosts to."""
        return Switch(self.namespace(role), subnet)

    def link(self, a, b, subnet, a_host=1, b_host=2, a_interface=None, b_interface=None):
        """A veth pair between two namespaces, addressed from `subnet`: `a` gets host number
        a_host, `b` b_host. Interface names default to "lan" on a router and "eth0"
        elsewhere. Returns (address of a, address of b) as strings."""
        network = ipaddress.IPv4Network(subnet)
        a_interface = a_interface or ("lan" if isinstance(a, Router) else "eth0")
        b_interface = b_interface or ("lan" if isinstance(b, Router) else "eth0")
        self._veth(a, a_interface, b, b_interface)
        for namespace, interface, host in ((a, a_interface, a_host), (b, b_interface, b_host)):
            address = ipaddress.IPv4Interface(f"{network[host]}/{network.prefixlen}")
            namespace.ip("address", "add", str(address), "dev", interface)
            namespace.ip("link", "set", interface, "up")
            namespace.interfaces[interface] = address
        return str(network[a_host]), str(network[b_host])

    def _veth(self, a, a_interface, b, b_interface):
        # Made directly inside both namespaces: the names never exist in the host's namespace.
        for name in (a_interface, b_interface):
            if len(name) > 15:
                raise ValueError(f"interface name {name!r} is longer than 15 characters")
        _command(["ip", "link", "add", a_interface, "netns", a.name, "type", "veth", "peer",
                  "name", b_interface, "netns", b.name])


def _raise_on_sigterm(signal_number, frame):
    del frame
    raise SystemExit(128 + signal_number)


# Addresses of the prepared topologies.
LAN_SUBNET = "10.231.1.0/24"
INTERNET_SUBNET = "198.18.1.0/24"


class Topology:
    """The namespaces of a prepared topology, by role, plus the Lab that owns them."""

    def __init__(self, lab, **namespaces):
        self.lab = lab
        self.__dict__.update(namespaces)


@contextlib.contextmanager
def phone_behind_nat(random_ports=False):
    """(a) A phone in a LAN behind a masquerading router; the PBX and a second phone on the
    internet side.

        phone1 10.231.1.2 --lan-- router 10.231.1.1 | 198.18.1.1 --wan-- internet switch
        internet switch: pbx 198.18.1.2, phone2 198.18.1.3

    phone1's default route is the router; the PBX sees phone1 as 198.18.1.1 (with its own
    source port, or a random one with random_ports) and cannot reach 10.231.1.2 directly.
    Yields a Topology with phone1, router, pbx, phone2 (Namespaces) and internet (Switch)."""
    with Lab() as lab:
        router = lab.router("router")
        phone1 = lab.namespace("phone1")
        lab.link(router, phone1, LAN_SUBNET, a_host=1, b_host=2)
        phone1.add_default_route(router.address_on("lan"))
        internet = lab.switch("internet", INTERNET_SUBNET)
        pbx = lab.namespace("pbx")
        phone2 = lab.namespace("phone2")
        internet.attach(router, 1)
        internet.attach(pbx, 2)
        internet.attach(phone2, 3)
        router.masquerade("wan", random_ports=random_ports)
        yield Topology(lab, phone1=phone1, router=router, pbx=pbx, phone2=phone2,
                       internet=internet)


# What a PBX's router forwards by default: SIP over UDP, SIP over TLS, and the RTP ports of
# Starling's default media range.
DEFAULT_FORWARDS = (("udp", 5060), ("tcp", 5061))
DEFAULT_RTP_RANGE = (10000, 20000)


@contextlib.contextmanager
def pbx_behind_port_forward(forwards=DEFAULT_FORWARDS, udp_range=DEFAULT_RTP_RANGE):
    """(b) The PBX in a LAN behind a router that forwards ports to it; a phone on the
    internet side calls the router's public address.

        pbx 10.231.1.2 --lan-- router 10.231.1.1 | 198.18.1.1 --wan-- internet switch
        internet switch: phone 198.18.1.3

    The router forwards `forwards` ((protocol, port) pairs) and the UDP range `udp_range`
    (first, last) arriving on its public address to the PBX, and masquerades what the PBX
    sends out, so the phone only ever sees 198.18.1.1. The PBX's default route is the router.
    Yields a Topology with pbx, router, phone (Namespaces), internet (Switch) and
    public_address ("198.18.1.1")."""
    with Lab() as lab:
        router = lab.router("router")
        pbx = lab.namespace("pbx")
        lab.link(router, pbx, LAN_SUBNET, a_host=1, b_host=2)
        pbx.add_default_route(router.address_on("lan"))
        internet = lab.switch("internet", INTERNET_SUBNET)
        phone = lab.namespace("phone")
        public_address = internet.attach(router, 1)
        internet.attach(phone, 3)
        for protocol, port in forwards:
            router.forward_port(protocol, port, pbx.address, in_interface="wan")
        if udp_range:
            router.forward_port("udp", udp_range[0], pbx.address, in_interface="wan",
                                last_port=udp_range[1])
        router.masquerade("wan")
        yield Topology(lab, pbx=pbx, router=router, phone=phone, internet=internet,
                       public_address=public_address)


# ---- self-check: `python3 tests/integration/netns.py` (root) --------------------------------

# Echoes each UDP datagram / TCP connection's first line with the peer's address prepended.
_ECHO_SERVER = r"""
import socket, sys, threading
address, port = sys.argv[1], int(sys.argv[2])
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind((address, port))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind((address, port))
tcp.listen()
def serve_tcp():
    while True:
        connection, peer = tcp.accept()
        data = connection.recv(2000)
        connection.sendall(f"{peer[0]}:{peer[1]} ".encode() + data)
        connection.close()
threading.Thread(target=serve_tcp, daemon=True).start()
print("ready", flush=True)
while True:
    data, peer = udp.recvfrom(2000)
    udp.sendto(f"{peer[0]}:{peer[1]} ".encode() + data, peer)
"""

# Sends one datagram (or one TCP line) from a fixed source port; prints "server-ip:port
# seen-as" or "timeout".
_ECHO_CLIENT = r"""
import socket, sys
protocol, address, port, source_port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
kind = socket.SOCK_DGRAM if protocol == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.settimeout(2)
s.bind(("0.0.0.0", source_port))
try:
    if protocol == "udp":
        s.sendto(b"hello", (address, port))
        data, peer = s.recvfrom(2000)
    else:
        s.connect((address, port))
        s.sendall(b"hello")
        data, peer = s.recv(2000), s.getpeername()
    print(f"{peer[0]}:{peer[1]} {data.decode().split()[0]}")
except OSError as error:
    print("timeout" if isinstance(error, socket.timeout) else f"error {error.__class__.__name__}")
"""


def _start_echo(namespace, address, port):
    process = namespace.popen([sys.executable, "-c", _ECHO_SERVER, address, port],
                              stdout=subprocess.PIPE, text=True)
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError(f"echo server in {namespace.role} did not start")
    return process


def _echo(namespace, protocol, address, port, source_port=40000):
    """(reply source "ip:port", how the server saw us "ip:port"), or ("timeout", None)."""
    output = namespace.run([sys.executable, "-c", _ECHO_CLIENT, protocol, address, port,
                            source_port]).stdout.split()
    return (output[0], output[1] if len(output) > 1 else None)


def self_check():
    """Echoes through both topologies; raises AssertionError on the first surprise."""
    results = []

    def expect(what, actual, expected):
        results.append(f"{'ok ' if actual == expected else 'BAD'} {what}: {actual}")
        assert actual == expected, f"{what}: got {actual}, expected {expected}"

    with phone_behind_nat() as net:
        names = [ns.name for ns in (net.phone1, net.router, net.pbx, net.phone2)]
        _start_echo(net.pbx, "0.0.0.0", 5060)
        _start_echo(net.phone1, "0.0.0.0", 5062)
        expect("(a) phone1 -> pbx udp, seen as the router",
               _echo(net.phone1, "udp", "198.18.1.2", 5060), ("198.18.1.2:5060", "198.18.1.1:40000"))
        expect("(a) phone1 -> pbx tcp, seen as the router",
               _echo(net.phone1, "tcp", "198.18.1.2", 5060, 40001),
               ("198.18.1.2:5060", "198.18.1.1:40001"))
        expect("(a) phone2 -> pbx udp, seen as itself",
               _echo(net.phone2, "udp", "198.18.1.2", 5060), ("198.18.1.2:5060", "198.18.1.3:40000"))
        expect("(a) pbx -> phone1's private address: no route",
               _echo(net.pbx, "udp", "10.231.1.2", 5062), ("error", "OSError"))
        expect("(a) loopback up in pbx",
               _echo(net.pbx, "udp", "127.0.0.1", 5060), ("127.0.0.1:5060", "127.0.0.1:40000"))
    leftover = _command(["ip", "netns", "list"]).stdout
    expect("(a) namespaces removed", [n for n in names if n in leftover], [])

    with phone_behind_nat(random_ports=True) as net:
        _start_echo(net.pbx, "0.0.0.0", 5060)
        reply, seen = _echo(net.phone1, "udp", "198.18.1.2", 5060)
        expect("(a, random ports) phone1 -> pbx udp, reply", reply, "198.18.1.2:5060")
        expect("(a, random ports) seen as the router", seen.split(":")[0], "198.18.1.1")
        results.append(f"    (source port 40000 became {seen.split(':')[1]})")

    with pbx_behind_port_forward() as net:
        names = [ns.name for ns in (net.pbx, net.router, net.phone)]
        _start_echo(net.pbx, "0.0.0.0", 5060)
        _start_echo(net.pbx, "0.0.0.0", 5061)
        _start_echo(net.pbx, "0.0.0.0", 10000)
        _start_echo(net.pbx, "0.0.0.0", 20000)
        _start_echo(net.phone, "0.0.0.0", 5070)
        pub = net.public_address
        expect("(b) phone -> public 5060/udp forwarded, phone seen as itself",
               _echo(net.phone, "udp", pub, 5060), (f"{pub}:5060", "198.18.1.3:40000"))
        expect("(b) phone -> public 5061/tcp forwarded",
               _echo(net.phone, "tcp", pub, 5061, 40001), (f"{pub}:5061", "198.18.1.3:40001"))
        expect("(b) phone -> public 10000/udp (range start) forwarded",
               _echo(net.phone, "udp", pub, 10000), (f"{pub}:10000", "198.18.1.3:40000"))
        expect("(b) phone -> public 20000/udp (range end) forwarded",
               _echo(net.phone, "udp", pub, 20000), (f"{pub}:20000", "198.18.1.3:40000"))
        expect("(b) phone -> public 5060/tcp not forwarded",
               _echo(net.phone, "tcp", pub, 5060, 40002), ("error", "ConnectionRefusedError"))
        expect("(b) pbx -> phone udp, seen as the public address",
               _echo(net.pbx, "udp", "198.18.1.3", 5070, 5062),
               ("198.18.1.3:5070", f"{pub}:5062"))
    leftover = _command(["ip", "netns", "list"]).stdout
    expect("(b) namespaces removed", [n for n in names if n in leftover], [])

    try:
        with phone_behind_nat() as net:
            names = [net.pbx.name]
            net.pbx.popen(["sleep", "600"])
            raise KeyError("failure inside the topology")
    except KeyError:
        pass
    leftover = _command(["ip", "netns", "list"]).stdout
    expect("cleanup after an exception", [n for n in names if n in leftover], [])
    return results


if __name__ == "__main__":
    started = time.monotonic()
    for line in self_check():
        print(line)
    print(f"self-check passed in {time.monotonic() - started:.1f} s")
