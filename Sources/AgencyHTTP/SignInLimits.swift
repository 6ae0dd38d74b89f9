/// How hard the sign-ins (`POST /v1/login`, the client's `POST /login`, the agency's
/// `POST /dashboard/sign-in`) push back on guessing and floods. The defaults are far above what a
/// small agency's people ever do by hand; `agency serve` takes each as an option.
public struct SignInLimits: Sendable {
    /// Failed sign-ins for one username before each further failure earns a wait.
    public var freeFailuresPerUsername: Int
    /// Failed sign-ins from one client address (any username, any sign-in) before each further
    /// failure earns a wait. Higher than per username: an office shares one address.
    public var freeFailuresPerAddress: Int
    /// The wait the last free failure earns; each further failure doubles it.
    public var firstDelaySeconds: Int
    /// The longest wait a failure earns.
    public var maxDelaySeconds: Int
    /// Usernames and addresses remembered at once, each table; past this the stalest entry goes, so
    /// a flood of made-up names cannot grow memory without bound.
    public var maxTracked: Int
    /// Sign-ins from one client address being checked at once; more are answered 503 `busy` at once
    /// and count as that address's failures, so one host cannot fill the password queue.
    public var concurrentPerAddress: Int
    /// bcrypt hashes run at once (nil: one per core, as many as NIO's thread pool has threads).
    public var hashWorkers: Int?
    /// Sign-in hashes that may wait for a worker; past this, sign-ins are answered 503 `busy`. This
    /// bounds how long a legitimate sign-in waits behind a flood: about
    /// `(hashQueue / hashWorkers + 2)` hash times (~0.23 s each at cost 12 on the reference machine).
    public var hashQueue: Int

    public init(
        freeFailuresPerUsername: Int = 10, freeFailuresPerAddress: Int = 50, firstDelaySeconds: Int = 1, maxDelaySeconds: Int = 300,
        maxTracked: Int = 100_000, concurrentPerAddress: Int = 4, hashWorkers: Int? = nil, hashQueue: Int = 8
    ) {
        self.freeFailuresPerUsername = freeFailuresPerUsername
        self.freeFailuresPerAddress = freeFailuresPerAddress
        self.firstDelaySeconds = firstDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.maxTracked = maxTracked
        self.concurrentPerAddress = concurrentPerAddress
        self.hashWorkers = hashWorkers
        self.hashQueue = hashQueue
    }
}
