export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare function launchSharedBrowser(): Promise<void>;
export declare function closeSharedBrowser(): Promise<void>;
