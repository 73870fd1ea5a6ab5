package dev.pushcore.bench

import java.io.Closeable
import java.sql.Connection
import java.sql.DriverManager

/**
 * The dedup table an app team writes without the core, on sqlite-jdbc with
 * the core's pragmas (WAL, synchronous=NORMAL, a busy timeout): one
 * `INSERT OR IGNORE`, and a lookup only when the key was already there.
 * Same schema as the core's (unique key index, time index for expiry) so
 * both write the same pages per fresh key; no pruning, which the core does
 * every 64 fresh keys.
 */
class ReferenceDedup(path: String) : Closeable {
    private val conn: Connection = DriverManager.getConnection("jdbc:sqlite:$path")

    init {
        conn.createStatement().use { st ->
            st.execute("PRAGMA journal_mode=WAL")
            st.execute("PRAGMA synchronous=NORMAL")
            st.execute("PRAGMA busy_timeout=5000")
            st.execute(
                "CREATE TABLE IF NOT EXISTS seen (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, " +
                    "key TEXT NOT NULL, first_seen_ms INTEGER NOT NULL, source TEXT NOT NULL)",
            )
            st.execute("CREATE UNIQUE INDEX IF NOT EXISTS seen_key ON seen(kind, key)")
            st.execute("CREATE INDEX IF NOT EXISTS seen_time ON seen(first_seen_ms)")
        }
    }

    private val insert = conn.prepareStatement(
        "INSERT OR IGNORE INTO seen(kind, key, first_seen_ms, source) VALUES (?, ?, ?, ?)",
    )
    private val lookup = conn.prepareStatement(
        "SELECT first_seen_ms, source FROM seen WHERE kind = ? AND key = ?",
    )

    /** `null` for a fresh key, else the source it was first seen from. */
    fun checkAndMark(key: String, kind: Int, source: String): String? {
        insert.setInt(1, kind)
        insert.setString(2, key)
        insert.setLong(3, System.currentTimeMillis())
        insert.setString(4, source)
        if (insert.executeUpdate() == 1) return null
        lookup.setInt(1, kind)
        lookup.setString(2, key)
        lookup.executeQuery().use { rs ->
            return if (rs.next()) rs.getString(2) else ""
        }
    }

    override fun close() {
        insert.close()
        lookup.close()
        conn.close()
    }
}
