/// Where the simulation loop finds the shape of each array (`TranslationCache.Shape`): in the
/// arrays, for any configuration, or as constants for the default one. `TLBSimulator` runs its
/// loop once per kind; with the constants the compiler folds away the branches on the number of
/// ways and the set arithmetic, and unrolls the walk's steps (with `StaticPageSize`: BENCHMARKS.md,
/// session 10, has what each part gained).
protocol TLBShapes {
    /// The shape of `cache`, the L1 array holding pages of `size` (a raw value).
    static func firstLevel(_ size: Int, _ cache: TranslationCache) -> TranslationCache.Shape
    /// The shape of `cache`, the STLB array holding pages of `size`.
    static func secondLevel(_ size: Int, _ cache: TranslationCache) -> TranslationCache.Shape
    /// The shape of `cache`, the paging-structure cache of `level`.
    static func walkCache(_ level: Int, _ cache: TranslationCache) -> TranslationCache.Shape
    /// How many paging-structure caches a walk for pages of `size` consults (`planned`: what
    /// the configuration gives).
    static func walkSteps(_ size: Int, planned: Int) -> Int
    /// The level of the cache consulted at `step` of such a walk.
    static func walkLevel(_ size: Int, step: Int, planned: Int) -> Int
    /// Levels of paging.
    static func levels(configured: Int) -> Int
}

/// Any configuration: the shapes as the arrays were built.
enum ConfiguredShapes: TLBShapes {
    @inline(__always) static func firstLevel(_ size: Int, _ cache: TranslationCache) -> TranslationCache.Shape { cache.shape }
    @inline(__always) static func secondLevel(_ size: Int, _ cache: TranslationCache) -> TranslationCache.Shape { cache.shape }
    @inline(__always) static func walkCache(_ level: Int, _ cache: TranslationCache) -> TranslationCache.Shape { cache.shape }
    @inline(__always) static func walkSteps(_ size: Int, planned: Int) -> Int { planned }
    @inline(__always) static func walkLevel(_ size: Int, step: Int, planned: Int) -> Int { planned }
    @inline(__always) static func levels(configured: Int) -> Int { configured }
}

/// `TLBConfig.goldenCove`, which is built from these geometries: constants of the code.
enum GoldenCove: TLBShapes {
    static let levels = 4

    @inline(__always)
    static func firstLevel(_ size: Int) -> TLBGeometry {
        switch size {
        case TLBPageSize.size4K.rawValue: TLBGeometry(entries: 96, ways: 6)
        case TLBPageSize.size2M.rawValue: TLBGeometry(entries: 32, ways: 4)
        default: .fullyAssociative(8)
        }
    }

    @inline(__always)
    static func secondLevel(_ size: Int) -> TLBGeometry {
        size == TLBPageSize.size1G.rawValue
            ? TLBGeometry(entries: 1024, ways: 8, indexing: .xor)
            : TLBGeometry(entries: 2048, ways: 16, indexing: .xor)
    }

    /// A cache for each level above the PTEs' (all of them are consulted).
    @inline(__always)
    static func walkCache(_ level: Int) -> TLBGeometry {
        switch level {
        case 2: TLBGeometry(entries: 32, ways: 4)
        case 3: .fullyAssociative(4)
        default: .fullyAssociative(2)
        }
    }

    @inline(__always) static func firstLevel(_ size: Int, _ cache: TranslationCache) -> TranslationCache.Shape { .init(firstLevel(size)) }
    @inline(__always) static func secondLevel(_ size: Int, _ cache: TranslationCache) -> TranslationCache.Shape { .init(secondLevel(size)) }
    @inline(__always) static func walkCache(_ level: Int, _ cache: TranslationCache) -> TranslationCache.Shape { .init(walkCache(level)) }
    /// The levels above the leaf's, up to the top: pages of size s are mapped at level s + 1.
    @inline(__always) static func walkSteps(_ size: Int, planned: Int) -> Int { levels &- size &- 1 }
    @inline(__always) static func walkLevel(_ size: Int, step: Int, planned: Int) -> Int { size &+ 2 &+ step }
    @inline(__always) static func levels(configured: Int) -> Int { levels }
}

/// A page size as a type: `TLBSimulator` compiles an access, and its walk, once per page size,
/// so that their branches each see one size, which the CPU predicts better than sizes mixed at
/// random, and the walk's steps are constants.
protocol StaticPageSize {
    static var size: Int { get }
}

enum Pages4K: StaticPageSize {
    @inline(__always) static var size: Int { TLBPageSize.size4K.rawValue }
}

enum Pages2M: StaticPageSize {
    @inline(__always) static var size: Int { TLBPageSize.size2M.rawValue }
}

enum Pages1G: StaticPageSize {
    @inline(__always) static var size: Int { TLBPageSize.size1G.rawValue }
}
