/** Injection tokens of the channels module. */
export const CHANNELS_CONFIG = Symbol('ChannelsConfig');
export const CHANNEL_PROVIDERS = Symbol('ChannelProviders');
export const OUTBOX_DISPATCHER = Symbol('OutboxDispatcher');
export const CHANNEL_RUNTIME = Symbol('ChannelRuntime');
