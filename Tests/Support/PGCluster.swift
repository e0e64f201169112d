import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a throw-away cluster could not be made or used.
public struct PGClusterError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The clusters of this process, stopped and removed at exit.
private final class PGClusterRegistry: @unchecked Sendable {
    let lock = NSLock()
    var plain: Result<PGCluster, PGClusterError>?
    var tls: Result<PGCluster, PGClusterError>?
    var started: [PGCluster] = []
    var atexitInstalled = false
    let counterLock = NSLock()   // not `lock`: that one is held while a cluster starts
    var databaseCounter = 0
}
private let registry = PGClusterRegistry()

/// A throw-away PostgreSQL cluster: initdb in a temp folder, socket in that folder, stopped at process exit.
public final class PGCluster: @unchecked Sendable {
    public let folder: String             // temp folder holding data dir and socket dir
    public let socketDirectory: String
    public let port: Int                  // a free port
    public let rootCertificate: String?   // CA file for sslrootcert (TLS cluster only)
    let dataDirectory: String
    let binDirectory: String
    /// OS account that owns and runs the server: "postgres" when the tests run as root, else nil (the current user).
    let serverAccount: String?
    /// The OS account running the tests, mapped (pg_ident map `tests`) to every role made through this type.
    let osUser: String
    private let lock = NSLock()   // serialises role creation and pg_ident.conf edits
    private var mappedRoles: Set<String> = []

    // MARK: Shared clusters

    /// The cluster of this test process, started on first use and stopped when the process exits.
    public static func shared() throws -> PGCluster {
        try sharedCluster(tls: false)
    }

    /// A second cluster that also listens on 127.0.0.1 with TLS (self-signed CA, server cert for localhost/127.0.0.1)
    /// where every role logs in with scram-sha-256 over hostssl; the local socket works as for `shared()`.
    public static func sharedTLS() throws -> PGCluster {
        try sharedCluster(tls: true)
    }

    private static func sharedCluster(tls: Bool) throws -> PGCluster {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        if let existing = tls ? registry.tls : registry.plain { return try existing.get() }
        if !registry.atexitInstalled {
            registry.atexitInstalled = true
            atexit { PGCluster.stopAll() }
        }
        let result: Result<PGCluster, PGClusterError>
        do {
            result = .success(try PGCluster(tls: tls))
        } catch let error as PGClusterError {
            result = .failure(error)
        } catch {
            result = .failure(PGClusterError("could not start a test PostgreSQL cluster: \(error)"))
        }
        if tls { registry.tls = result } else { registry.plain = result }
        if case .success(let cluster) = result { registry.started.append(cluster) }
        return try result.get()
    }

    /// Immediate shutdown (what `pg_ctl stop -m immediate` does: SIGQUIT to the postmaster), then remove the folder.
    private static func stopAll() {
        registry.lock.lock()
        let clusters = registry.started
        registry.started = []
        registry.lock.unlock()
        for cluster in clusters {
            let pidFile = cluster.dataDirectory + "/postmaster.pid"
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let first = text.split(separator: "\n").first, let pid = pid_t(first.trimmingCharacters(in: .whitespaces)),
               pid > 0, kill(pid, SIGQUIT) == 0 {
                var waited = 0
                while kill(pid, 0) == 0, waited < 500 {   // up to 5 s for the postmaster to go
                    usleep(10_000)
                    waited += 1
                }
            }
            try? FileManager.default.removeItem(atPath: cluster.folder)
        }
    }

    // MARK: Start

    private init(tls: Bool) throws {
        binDirectory = try PGCluster.findBinDirectory()
        var serverUID = geteuid(), serverGID = getegid()
        osUser = PGCluster.accountName(uid: geteuid()) ?? ProcessInfo.processInfo.userName
        if geteuid() == 0 {
            guard let pw = getpwnam("postgres") else {
                throw PGClusterError("the tests run as root but there is no `postgres` OS account to run the server "
                    + "(initdb refuses root); create one (useradd -r postgres) or run the tests as a normal user")
            }
            serverUID = pw.pointee.pw_uid
            serverGID = pw.pointee.pw_gid
            serverAccount = "postgres"
        } else {
            serverAccount = nil
        }
        var template = Array("/tmp/qorgau-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw PGClusterError("could not make a temp folder for the test cluster: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        dataDirectory = folder + "/data"
        socketDirectory = folder + "/socket"
        port = try PGCluster.freePort()
        rootCertificate = tls ? folder + "/root.crt" : nil
        do {
            try start(tls: tls, uid: serverUID, gid: serverGID)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    private func start(tls: Bool, uid: uid_t, gid: gid_t) throws {
        let began = Date()
        for (path, mode) in [(folder, 0o755), (dataDirectory, 0o700), (socketDirectory, 0o755)] {
            if path != folder, mkdir(path, mode_t(mode)) != 0 {
                throw PGClusterError("could not create \(path): \(String(cString: strerror(errno)))")
            }
            chmod(path, mode_t(mode))
            guard chown(path, uid, gid) == 0 else {
                throw PGClusterError("could not give \(path) to the server account: \(String(cString: strerror(errno)))")
            }
        }
        let common = ["-D", dataDirectory, "-U", "postgres", "-E", "UTF8", "--auth-local=peer",
                      "--auth-host=scram-sha-256", "--no-sync", "--no-instructions"]
        var initdb = runServerTool("initdb", common + ["--locale=C.UTF-8"])
        if initdb.status != 0 {
            try? FileManager.default.removeItem(atPath: dataDirectory)
            _ = mkdir(dataDirectory, 0o700)
            _ = chown(dataDirectory, uid, gid)
            initdb = runServerTool("initdb", common + ["--no-locale"])
        }
        guard initdb.status == 0 else { throw PGClusterError("initdb failed (\(initdb.status)): \(initdb.err)") }

        var hba = serverAccount == nil
            ? "local all postgres peer map=tests\n" : "local all postgres peer\n"
        hba += "local all all peer map=tests\n"
        // Every OS account connects as the role of the same name; more lines are added as roles are made.
        var ident = "tests /^(.*)$ \\1\n"
        if serverAccount == nil { ident += "tests \(PGCluster.hbaToken(osUser)) postgres\n" }
        var conf = """

            # qorgau test cluster
            listen_addresses = '\(tls ? "127.0.0.1" : "")'
            port = \(port)
            unix_socket_directories = '\(socketDirectory)'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 200

            """
        if tls {
            hba += "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            conf += "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
            try makeCertificates(uid: uid, gid: gid)
        }
        try writeServerFile("pg_hba.conf", hba, uid: uid, gid: gid)
        try writeServerFile("pg_ident.conf", ident, uid: uid, gid: gid)
        let confPath = dataDirectory + "/postgresql.conf"
        let existing = (try? String(contentsOfFile: confPath, encoding: .utf8)) ?? ""
        try writeServerFile("postgresql.conf", existing + conf, uid: uid, gid: gid)

        let started = runServerTool("pg_ctl", ["-w", "-t", "60", "-D", dataDirectory, "-l", folder + "/server.log", "start"])
        guard started.status == 0 else {
            let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
            throw PGClusterError("pg_ctl start failed (\(started.status)): \(started.err)\(started.out)\n\(log)")
        }
        startSeconds = Date().timeIntervalSince(began)
    }

    /// How long initdb + start took, in seconds.
    public private(set) var startSeconds: Double = 0

    private func writeServerFile(_ name: String, _ text: String, uid: uid_t, gid: gid_t, mode: Int = 0o600) throws {
        let path = dataDirectory + "/" + name
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw PGClusterError("could not write \(path): \(error)")
        }
        chmod(path, mode_t(mode))
        _ = chown(path, uid, gid)
    }

    private func makeCertificates(uid: uid_t, gid: gid_t) throws {
        guard let openssl = PGCluster.which("openssl"), let caFile = rootCertificate else {
            throw PGClusterError("openssl is needed to make the TLS test cluster's certificates")
        }
        let work = folder + "/tls"
        guard mkdir(work, 0o700) == 0 else { throw PGClusterError("could not create \(work)") }
        defer { try? FileManager.default.removeItem(atPath: work) }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let ext = work + "/server.ext"
        try Data("""
            subjectAltName = DNS:localhost, IP:127.0.0.1
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """.utf8).write(to: URL(fileURLWithPath: ext))
        let steps: [[String]] = [
            ["req", "-x509", "-new"] + ec + ["-keyout", work + "/ca.key", "-out", caFile, "-days", "3650",
             "-subj", "/CN=Qorgau test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-new"] + ec + ["-keyout", work + "/server.key", "-out", work + "/server.csr", "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", work + "/server.csr", "-CA", caFile, "-CAkey", work + "/ca.key",
             "-set_serial", "0x" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16),
             "-days", "3650", "-extfile", ext, "-out", work + "/server.crt"],
        ]
        for step in steps {
            let r = PGCluster.run(openssl, step, cwd: work)
            guard r.status == 0 else { throw PGClusterError("openssl \(step[0]) failed: \(r.err)") }
        }
        chmod(caFile, 0o644)
        for name in ["server.crt", "server.key"] {
            guard let data = FileManager.default.contents(atPath: work + "/" + name) else {
                throw PGClusterError("openssl made no \(name)")
            }
            try writeServerFile(name, String(decoding: data, as: UTF8.self), uid: uid, gid: gid)
        }
    }

    // MARK: Databases and roles

    /// A new empty database (unique name), owned by `owner`; creates `owner` as LOGIN CREATEROLE NOSUPERUSER when missing.
    public func createDatabase(owner: String) throws -> String {
        try createRole(owner, createRole: true)
        // Installing takes CREATEROLE away from the installer: give it back for this new database.
        try superuser("ALTER ROLE :\"owner\" CREATEROLE;", variables: ["owner": owner])
        registry.counterLock.lock()
        registry.databaseCounter += 1
        let name = "qorgau_test_\(getpid())_\(registry.databaseCounter)"
        registry.counterLock.unlock()
        try superuser("CREATE DATABASE :\"db\" OWNER :\"owner\" TEMPLATE template0 ENCODING 'UTF8';",
                      variables: ["db": name, "owner": owner])
        return name
    }

    /// Creates a LOGIN role (NOSUPERUSER) when missing, optionally with a password (for scram over TLS), and lets the
    /// OS account running the tests connect as it over the socket (peer, pg_ident map `tests`).
    public func createRole(_ name: String, password: String? = nil, createRole: Bool = false) throws {
        lock.lock()
        defer { lock.unlock() }
        var sql = """
            SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'name') AS missing \\gset
            \\if :missing
            CREATE ROLE :"name" LOGIN NOSUPERUSER\(createRole ? " CREATEROLE" : "");
            \\endif

            """
        var variables = ["name": name]
        if let password {
            sql += "ALTER ROLE :\"name\" PASSWORD :'password';\n"
            variables["password"] = password
        }
        try superuser(sql, variables: variables)
        try mapLocked(name)
    }

    /// Lets the OS account running the tests log in as `role` over the socket (peer auth, map `tests`): appends
    /// `tests OSUSER ROLE` to pg_ident.conf and reloads. createRole/createDatabase/psql do this already; call it for
    /// roles made some other way (e.g. by the code under test) before connecting to them through `uri`.
    public func allowPeerLogin(as role: String) throws {
        lock.lock()
        defer { lock.unlock() }
        try mapLocked(role)
    }

    private func mapLocked(_ role: String) throws {
        guard !mappedRoles.contains(role), role != osUser, role != "postgres" else { return }
        guard !role.contains("\""), !role.contains("\n") else {
            throw PGClusterError("role name \(role) cannot be written into pg_ident.conf")
        }
        let path = dataDirectory + "/pg_ident.conf"
        guard let handle = FileHandle(forWritingAtPath: path) else { throw PGClusterError("cannot open \(path)") }
        handle.seekToEndOfFile()
        handle.write(Data("tests \(PGCluster.hbaToken(osUser)) \(PGCluster.hbaToken(role))\n".utf8))
        handle.closeFile()
        // The postmaster loads pg_ident.conf when it handles SIGHUP; wait until a new backend sees the reload.
        let before = try superuser("SELECT pg_conf_load_time(), pg_reload_conf();")
        var seen = before, tries = 0
        while seen == before, tries < 400 {
            usleep(5_000)
            tries += 1
            seen = try superuser("SELECT pg_conf_load_time(), true;")
        }
        mappedRoles.insert(role)
    }

    // MARK: URIs and psql

    /// "postgresql:///DB?host=SOCKETDIR&port=PORT&user=USER" (percent-encoded).
    public func uri(database: String, user: String) -> String {
        "postgresql:///\(PGCluster.encode(database))?host=\(PGCluster.encode(socketDirectory))&port=\(port)"
            + "&user=\(PGCluster.encode(user))"
    }

    /// "postgresql://USER:PASSWORD@localhost:PORT/DB?sslmode=verify-full&sslrootcert=CAFILE" (percent-encoded).
    public func tlsURI(database: String, user: String, password: String) -> String {
        "postgresql://\(PGCluster.encode(user)):\(PGCluster.encode(password))@localhost:\(port)/"
            + "\(PGCluster.encode(database))?sslmode=verify-full&sslrootcert=\(PGCluster.encode(rootCertificate ?? ""))"
    }

    /// Runs psql (-X -q -A -t -w -v ON_ERROR_STOP=1, SQL on stdin) as database role `user` on the socket, from the OS
    /// account running the tests (as the `postgres` OS account when `user` is "postgres" and the tests run as root).
    @discardableResult
    public func psql(_ sql: String, database: String, as user: String) -> (status: Int32, out: String, err: String) {
        if user != "postgres" || serverAccount == nil {
            do { try allowPeerLogin(as: user) } catch { return (-1, "", "\(error)") }
        }
        let r = runPSQL(sql, database: database, user: user, variables: [:], asServer: user == "postgres")
        return (r.status, r.out, r.err)
    }

    /// Runs SQL as the cluster's superuser (postgres) — for test setup only. Returns stdout without the final newline.
    @discardableResult
    public func superuser(_ sql: String, database: String = "postgres") throws -> String {
        try superuser(sql, database: database, variables: [:])
    }

    @discardableResult
    private func superuser(_ sql: String, database: String = "postgres", variables: [String: String]) throws -> String {
        let r = runPSQL(sql, database: database, user: "postgres", variables: variables, asServer: true)
        guard r.status == 0 else {
            throw PGClusterError("psql as postgres on \(database) failed (\(r.status)): \(r.err)\nSQL: \(sql)")
        }
        return r.out
    }

    private func runPSQL(_ sql: String, database: String, user: String, variables: [String: String],
                         asServer: Bool) -> (status: Int32, out: String, err: String) {
        var args = ["-X", "-q", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", "\(port)",
                    "-U", user, "-d", database]
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) { args += ["-v", "\(key)=\(value)"] }
        let psql = binDirectory + "/psql"
        let r = asServer ? runServerTool("psql", args, stdin: sql) : PGCluster.run(psql, args, stdin: sql, cwd: folder)
        var out = r.out
        while out.hasSuffix("\n") { out.removeLast() }
        return (r.status, out, r.err)
    }

    // MARK: Processes

    /// Runs one of the server's tools as the server's OS account (runuser when the tests run as root).
    private func runServerTool(_ tool: String, _ args: [String], stdin: String? = nil)
        -> (status: Int32, out: String, err: String) {
        let exe = binDirectory + "/" + tool
        guard let account = serverAccount else { return PGCluster.run(exe, args, stdin: stdin, cwd: folder) }
        let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "runuser"
        return PGCluster.run(runuser, ["-u", account, "--", exe] + args, stdin: stdin, cwd: folder)
    }

    /// Runs a program with stdin/stdout/stderr on temp files. posix_spawn, not Foundation's Process: Process waits for
    /// a socket it hands to the child to close, and the postmaster that pg_ctl leaves behind would keep it open forever.
    /// Every descriptor above 2 is closed in the child so the postmaster inherits nothing of this process.
    static func run(_ exe: String, _ args: [String], stdin: String? = nil, cwd: String)
        -> (status: Int32, out: String, err: String) {
        let scratch = NSTemporaryDirectory() + "/qorgau-pgrun-\(getpid())-\(UUID().uuidString)"
        let inPath = scratch + ".in", outPath = scratch + ".out", errPath = scratch + ".err"
        defer { for p in [inPath, outPath, errPath] { unlink(p) } }
        guard FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8)) else {
            return (-1, "", "could not create temp files in \(NSTemporaryDirectory())")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // glibc >= 2.34 has closefrom/chdir file actions but Swift's Glibc module does not import them: look them up.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        typealias ChangeDir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                              UnsafePointer<CChar>) -> Int32
        let handle = dlopen(nil, RTLD_NOW)
        if let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        } else {
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap({ Int32($0) }) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        if let symbol = dlsym(handle, "posix_spawn_file_actions_addchdir_np") {
            _ = unsafeBitCast(symbol, to: ChangeDir.self)(&actions, cwd)
        }
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
            .map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, exe, &actions, nil, argv, envp)
        guard spawned == 0 else { return (-1, "", "could not run \(exe): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return (-1, "", "waitpid failed for \(exe)") }
        }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (code, out, err)
    }

    // MARK: Helpers

    private static func findBinDirectory() throws -> String {
        let fm = FileManager.default
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap { name in Double(name).map { (name, $0) } }
            .sorted { $0.1 > $1.1 }
        let hasServer = { (dir: String) in
            ["initdb", "pg_ctl", "postgres", "psql"].allSatisfy { fm.isExecutableFile(atPath: dir + "/" + $0) }
        }
        for (name, _) in versions where hasServer("/usr/lib/postgresql/\(name)/bin") {
            return "/usr/lib/postgresql/\(name)/bin"
        }
        if let pgConfig = which("pg_config") {
            let r = run(pgConfig, ["--bindir"], cwd: "/")
            let dir = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
            if r.status == 0, hasServer(dir) { return dir }
        }
        throw PGClusterError("PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) were not found in "
            + "/usr/lib/postgresql/*/bin or `pg_config --bindir`; install the server (Debian: apt-get install postgresql)")
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return (path.split(separator: ":").map { "\($0)/\(name)" } + ["/usr/bin/\(name)"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func accountName(uid: uid_t) -> String? {
        guard let pw = getpwuid(uid), let name = pw.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// A free TCP port on 127.0.0.1 (bind to port 0 and read it back).
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw PGClusterError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw PGClusterError("bind() failed: \(String(cString: strerror(errno)))") }
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw PGClusterError("getsockname() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private static func encode(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// A token for pg_hba.conf / pg_ident.conf: double-quoted unless plain.
    private static func hbaToken(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            && !["all", "sameuser", "samerole", "samegroup", "replication"].contains(text)
        return plain ? text : "\"\(text)\""
    }
}
