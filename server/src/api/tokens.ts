/** Injection tokens for the ports the core is handed (it never imports NestJS itself). */
export const CLOCK = Symbol('Clock');
export const WORKSPACE = Symbol('Workspace');
export const SETTINGS = Symbol('Settings');
