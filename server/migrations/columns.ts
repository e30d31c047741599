import { DataTypes, type ModelAttributeColumnOptions, type QueryInterface } from 'sequelize';

/** Column helpers the migrations share (each migration still states its own schema in full). */
export type Columns = Record<string, ModelAttributeColumnOptions>;

/** Creating tables and indexes the same way on MySQL/MariaDB (utf8mb4, InnoDB) and SQLite. */
export function tables(qi: QueryInterface) {
  const mysql = qi.sequelize.getDialect() !== 'sqlite';
  const options = mysql ? { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci', engine: 'InnoDB' } : {};
  return {
    mysql,
    create: (table: string, columns: Columns) => qi.createTable(table, columns, options),
    index: (table: string, fields: string[], unique = false) =>
      qi.addIndex(table, fields, { unique, name: `${table}_${fields.join('_')}${unique ? '_uq' : ''}` }),
  };
}

export function pk(): ModelAttributeColumnOptions {
  return { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
}

export function fk(
  table: string,
  onDelete: 'CASCADE' | 'SET NULL',
  allowNull = false,
): ModelAttributeColumnOptions {
  return {
    type: DataTypes.INTEGER,
    allowNull,
    references: { model: table, key: 'id' },
    onDelete,
    onUpdate: 'CASCADE',
  };
}

export function date(allowNull = false): ModelAttributeColumnOptions {
  return { type: DataTypes.DATE(3), allowNull };
}

export function counter(): ModelAttributeColumnOptions {
  return { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 };
}

export function timestamps(): Columns {
  return { createdAt: date(), updatedAt: date() };
}

export function slot(placeColumn: 'room' | 'place'): Columns {
  return {
    day: { type: DataTypes.INTEGER, allowNull: false },
    startMinute: { type: DataTypes.INTEGER, allowNull: false },
    endMinute: { type: DataTypes.INTEGER, allowNull: false },
    [placeColumn]: { type: DataTypes.STRING(50), allowNull: true },
  };
}
