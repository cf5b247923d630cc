import Foundation

/// What `pagelab plugin new NAME` writes: a pack that works as it stands, with a scenario that
/// takes parameters, a module that scenario requires under the pack's name, and a scenario that
/// tests both with `assert`, to be edited into the real thing.
public enum PackSkeleton {
    /// Writes the pack `name` into a new folder `name` under `parent`.
    /// - Returns: the pack's folder.
    public static func create(_ name: String, in parent: String) throws(PackError) -> String {
        guard PackManifest.isValidName(name) else {
            throw PackError("'\(name)' is not a pack name: a letter, then letters, digits, '-' or '_' (at most 64)")
        }
        let folder = parent + "/" + name
        guard !FileManager.default.fileExists(atPath: folder) else {
            throw PackError("\(folder) already exists; choose another name or --dir")
        }
        try PackFiles.write(files(name), to: folder)
        return folder
    }

    static func files(_ name: String) -> [PackFile] {
        [
            ("plugin.lua", manifest), ("touch.lua", scenario), ("util.lua", module), ("selftest.lua", selftest), ("README.md", readme),
        ].map { PackFile(path: $0.0, bytes: Array($0.1.replacingOccurrences(of: "NAME", with: name).utf8)) }
    }

    private static let manifest = """
        -- The manifest of pack NAME: what `pagelab plugin list|info` show and `install` checks.
        return {
          name = "NAME",
          version = "0.1.0",
          api = \(PluginCatalog.apiVersion),
          description = "A new PageLab pack: commit a region and touch part of it",
          author = "Your Name",
          license = "MIT",
          scenarios = {
            { name = "touch", file = "touch.lua",
              description = "Commit a region, write a fraction of it, and show what became resident" },
            { name = "selftest", file = "selftest.lua",
              description = "Runs touch with small sizes and checks what it measured" },
          },
        }

        """

    private static let scenario = """
        -- Commit a region and write a fraction of it: committed memory is not resident until touched.
        local pl = require "pagelab"
        local util = require "NAME.util"

        return {
          description = "Commit a region, write a fraction of it, and show what became resident",
          params = {
            { name = "size", type = "size", default = "64m", help = "bytes to reserve and commit" },
            { name = "fraction", type = "number", default = 0.25, help = "part of the region to write, 0 to 1" },
          },
          run = function(p)
            assert(p.fraction >= 0 and p.fraction <= 1, "fraction must lie between 0 and 1")
            local region <close> = pl.reserve(p.size, { name = "NAME" })
            region:commit()
            local written = util.whole_pages(p.size * p.fraction, pl.page_size())
            if written > 0 then region:touch(0, written) end
            local s = region:stats()
            print(string.format("committed %s, wrote %s, resident %s", pl.format(s.committed), pl.format(written), pl.format(s.resident)))
            pl.record("resident", s.resident)
            return { committed = s.committed, written = written, resident = s.resident }
          end,
        }

        """

    private static let module = """
        -- Helpers of pack NAME; scenarios load them with `require "NAME.util"`.
        local util = {}

        --- `bytes` rounded down to a whole number of pages of `page` bytes.
        function util.whole_pages(bytes, page)
          return math.floor(bytes / page) * page
        end

        return util

        """

    private static let selftest = """
        -- The test of pack NAME: `pagelab run NAME/selftest` runs the touch scenario with small
        -- sizes and checks what it measured; a failed check exits with status 1 at its line.
        local pl = require "pagelab"
        local util = require "NAME.util"
        local touch = require "NAME.touch"

        return {
          description = "Runs touch with small sizes and checks what it measured",
          run = function()
            assert(util.whole_pages(10000, 4096) == 8192, "whole_pages rounds down to whole pages")
            local page = pl.page_size()
            local result = touch.run { size = 256 * page, fraction = 0.25 }
            assert(result.committed == 256 * page, "the whole region is committed")
            assert(result.written == 64 * page, "a quarter of it is written")
            assert(result.resident == result.written, "exactly the written pages are resident, got " .. result.resident)
            print("selftest passed")
          end,
        }

        """

    private static let readme = """
        # NAME

        A PageLab plugin pack. Try it from the folder that holds it:

            PAGELAB_PLUGINS=$PWD pagelab list
            PAGELAB_PLUGINS=$PWD pagelab run NAME/touch --set size=128m --set fraction=0.5
            PAGELAB_PLUGINS=$PWD pagelab run NAME/selftest      # its test: prints "selftest passed"

        Edit `plugin.lua` (name, version, author, license, scenarios), the scenarios and `util.lua`,
        then share it:

            pagelab plugin pack NAME             # writes NAME-0.1.0.pagelab.tar
            pagelab plugin install NAME-0.1.0.pagelab.tar

        """
}
