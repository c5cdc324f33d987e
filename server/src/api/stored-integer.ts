/**
 * The largest id, version or revision the database stores (a 32-bit integer column on
 * PostgreSQL). A request number above it is a 400 naming the field; compared with such a column,
 * PostgreSQL refused the whole query ("out of range for type integer") and the answer was a 500.
 */
export const STORED_INTEGER_MAX = 2_147_483_647;
