import type { Lang } from '../estate';
import type { ErrorByLang } from './kit';

/** Database errors in the driver's own words, for Postgres or MySQL. */
export function dbError(
  lang: Lang,
  mysql: boolean,
  what: 'column' | 'timeout',
  column: string,
): [string, string] {
  if (what === 'column') {
    const pg: ErrorByLang = {
      node: ['DatabaseError', `column "${column}" does not exist`],
      java: ['org.postgresql.util.PSQLException', `ERROR: column "${column}" does not exist`],
      python: ['psycopg2.errors.UndefinedColumn', `column "${column}" does not exist`],
      go: ['*pgconn.PgError', `ERROR: column "${column}" does not exist (SQLSTATE 42703)`],
      ruby: [
        'ActiveRecord::StatementInvalid',
        `PG::UndefinedColumn: ERROR:  column "${column}" does not exist`,
      ],
      dotnet: ['Npgsql.PostgresException', `42703: column "${column}" does not exist`],
    };
    const my: ErrorByLang = {
      node: ['Error', `Unknown column '${column}' in 'where clause'`],
      java: ['java.sql.SQLSyntaxErrorException', `Unknown column '${column}' in 'where clause'`],
      python: ['pymysql.err.OperationalError', `(1054, "Unknown column '${column}' in 'where clause'")`],
      go: ['*mysql.MySQLError', `Error 1054 (42S22): Unknown column '${column}' in 'where clause'`],
      ruby: ['ActiveRecord::StatementInvalid', `Mysql2::Error: Unknown column '${column}' in 'where clause'`],
      dotnet: ['MySqlConnector.MySqlException', `Unknown column '${column}' in 'where clause'`],
    };
    return (mysql ? my : pg)[lang];
  }
  const pg: ErrorByLang = {
    node: ['DatabaseError', 'canceling statement due to statement timeout'],
    java: ['org.postgresql.util.PSQLException', 'ERROR: canceling statement due to statement timeout'],
    python: ['psycopg2.errors.QueryCanceled', 'canceling statement due to statement timeout'],
    go: ['*pgconn.PgError', 'ERROR: canceling statement due to statement timeout (SQLSTATE 57014)'],
    ruby: [
      'ActiveRecord::QueryCanceled',
      'PG::QueryCanceled: ERROR:  canceling statement due to statement timeout',
    ],
    dotnet: ['Npgsql.PostgresException', '57014: canceling statement due to statement timeout'],
  };
  const interrupted = 'Query execution was interrupted, maximum statement execution time exceeded';
  const my: ErrorByLang = {
    node: ['Error', interrupted],
    java: [
      'com.mysql.cj.jdbc.exceptions.MySQLTimeoutException',
      'Statement cancelled due to timeout or client request',
    ],
    python: ['pymysql.err.OperationalError', `(3024, '${interrupted}')`],
    go: ['*mysql.MySQLError', `Error 3024 (HY000): ${interrupted}`],
    ruby: ['ActiveRecord::StatementTimeout', `Mysql2::Error: ${interrupted}`],
    dotnet: ['MySqlConnector.MySqlException', interrupted],
  };
  return (mysql ? my : pg)[lang];
}
