/** The icons a menu tile can show (drawn in TileIcon.vue). */
export type TileIconName = 'copy' | 'print' | 'photo' | 'scan' | 'fax' | 'admin' | 'certificates' | 'card' | 'key' | 'counter';
