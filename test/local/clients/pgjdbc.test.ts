import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestEndpoint, type TestEndpoint } from '../../support/test-endpoint.js'
import { describeClient, PGJDBC_JAR, pgjdbcClient } from './client-tools.js'

const run = promisify(execFile)

let local: TestEndpoint
let dir: string

/**
 * A JDBC program as a Java user writes it against the driver Debian ships: the password comes from the
 * environment, and every result is printed one per line.
 */
const PROGRAM = `
import java.sql.*;
import java.util.Properties;

public class ClientCheck {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", System.getenv("PGPASSWORD"));
    try (Connection c = DriverManager.getConnection(args[0], props)) {
      DatabaseMetaData md = c.getMetaData();
      System.out.println("product " + md.getDatabaseProductName() + " " + md.getDatabaseMajorVersion() + "." + md.getDatabaseMinorVersion());
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE jdbc_items (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, price DOUBLE, seen TIMESTAMP)");
      }
      // Eight executions of one PreparedStatement: pgjdbc names it after the 5th and asks for binary from the 6th.
      try (PreparedStatement p = c.prepareStatement("INSERT INTO jdbc_items VALUES (?, ?, ?, ?)")) {
        for (int i = 1; i <= 8; i++) {
          p.setInt(1, i);
          p.setString(2, "item " + i);
          p.setDouble(3, i * 1.5);
          p.setTimestamp(4, Timestamp.valueOf("2024-02-29 13:14:" + (10 + i) + ".5"));
          p.executeUpdate();
        }
      }
      try (PreparedStatement p = c.prepareStatement("SELECT id, name, price, seen FROM jdbc_items WHERE id = ?")) {
        for (int i = 1; i <= 8; i++) {
          p.setInt(1, i);
          try (ResultSet r = p.executeQuery()) {
            r.next();
            System.out.println("row " + r.getInt(1) + "|" + r.getString(2) + "|" + r.getDouble(3) + "|" + r.getTimestamp(4));
          }
        }
      }
      c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      System.out.println("isolation " + c.getTransactionIsolation());
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM jdbc_items WHERE id > 6");
        c.rollback();
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM jdbc_items")) { r.next(); System.out.println("count " + r.getLong(1)); }
      }
      c.commit();
      c.setAutoCommit(true);
      try (ResultSet r = md.getTables(null, null, "jdbc_items", new String[] {"TABLE"})) {
        while (r.next()) System.out.println("table " + r.getString("TABLE_SCHEM") + "." + r.getString("TABLE_NAME") + " " + r.getString("TABLE_TYPE"));
      }
      try (ResultSet r = md.getColumns(null, null, "jdbc_items", null)) {
        while (r.next()) System.out.println("column " + r.getString("COLUMN_NAME") + " " + r.getString("TYPE_NAME") + " " + r.getInt("DATA_TYPE") + " " + r.getString("IS_NULLABLE"));
      }
      try (ResultSet r = md.getPrimaryKeys(null, null, "jdbc_items")) {
        while (r.next()) System.out.println("pk " + r.getString("COLUMN_NAME") + " " + r.getShort("KEY_SEQ") + " " + r.getString("PK_NAME"));
      }
    }
  }
}
`

beforeAll(async () => {
  local = await startTestEndpoint()
  dir = await mkdtemp(join(tmpdir(), 'kysely-motherduck-pgjdbc-'))
  if (pgjdbcClient.available) {
    await writeFile(join(dir, 'ClientCheck.java'), PROGRAM)
    await run('javac', ['-d', dir, join(dir, 'ClientCheck.java')], { timeout: 120_000 })
  }
}, 180_000)

afterAll(async () => {
  await local.stop()
  await rm(dir, { recursive: true, force: true })
})

describeClient(pgjdbcClient, () => {
  it('connects, runs a PreparedStatement 8 times (binary from the 6th), sets isolation, reads the metadata', async () => {
    const { host, port, token } = local.endpoint
    const url = `jdbc:postgresql://${host}:${port}/md:`
    let stdout: string
    try {
      ;({ stdout } = await run('java', ['-cp', `${PGJDBC_JAR}:${dir}`, 'ClientCheck', url], {
        env: { ...process.env, PGPASSWORD: token },
        timeout: 120_000,
      }))
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string }
      throw new Error(
        `java failed after:\n${failed.stdout ?? ''}\n${failed.stderr || failed.message}`,
      )
    }
    const rows = Array.from(
      { length: 8 },
      (_, k) =>
        `row ${k + 1}|item ${k + 1}|${((k + 1) * 1.5).toFixed(1)}|2024-02-29 13:14:${11 + k}.5`,
    )
    expect(stdout.trim().split('\n')).toEqual([
      'product PostgreSQL 15.0',
      ...rows,
      'isolation 8',
      'count 8',
      'table main.jdbc_items TABLE',
      'column id int4 4 NO',
      'column name text 12 NO',
      'column price float8 8 YES',
      'column seen timestamp 93 YES',
      'pk id 1 jdbc_items_id_pkey',
    ])
  })
})
