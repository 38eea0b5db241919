/** Public surface of the policy model and its training building blocks. */
export * from './config';
export * from './params';
export * from './dense';
export * from './batch';
export * from './image-encoder';
export * from './transformer';
export * from './generate';
export * from './sampling';
export * from './losses';
export * from './rl';
export * from './rl-losses';
export * from './schedule';
export * from './optimizer';
export * from './train-step';
export * from './checkpoint';
