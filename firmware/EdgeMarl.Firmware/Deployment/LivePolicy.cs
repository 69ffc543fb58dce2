using EdgeMarl.Shared.Policy;

namespace EdgeMarl.Firmware.Deployment
{
    /// <summary>
    /// The policy a node runs, as one <see cref="IPolicyLookup"/> whose tables can be replaced between ticks: the
    /// nodes keep this object for life, and the store points it at the new table at the switch. Sizes never change
    /// (the store refuses another game), so the nodes' buffers stay valid.
    /// </summary>
    /// <remarks>The swap is one reference write, atomic on every runtime; a lookup sees the old or the new table, never a mix.</remarks>
    public sealed class LivePolicy : IPolicyLookup, IStoredGlobalTables
    {
        private IPolicyLookup _table;

        /// <summary>Gets a value indicating whether a table is in use.</summary>
        public bool HasPolicy
        {
            get { return _table != null; }
        }

        /// <summary>Gets the table in use, or null.</summary>
        public IPolicyLookup Table
        {
            get { return _table; }
        }

        /// <inheritdoc/>
        public int GlobalStates
        {
            get { return _table.GlobalStates; }
        }

        /// <inheritdoc/>
        public int LocalStates
        {
            get { return _table.LocalStates; }
        }

        /// <inheritdoc/>
        public int RobotTypes
        {
            get { return _table.RobotTypes; }
        }

        /// <inheritdoc/>
        public int GlobalActions
        {
            get { return _table.GlobalActions; }
        }

        /// <inheritdoc/>
        public int LocalActions
        {
            get { return _table.LocalActions; }
        }

        /// <inheritdoc/>
        public int KMin
        {
            get { return _table.KMin; }
        }

        /// <inheritdoc/>
        public int K
        {
            get { return _table.K; }
        }

        /// <summary>Points this policy at <paramref name="table"/>.</summary>
        /// <param name="table">The new tables (same sizes as before).</param>
        public void Use(IPolicyLookup table)
        {
            _table = table;
        }

        /// <inheritdoc/>
        public bool TryGetGlobalAction(int globalState, int[] counts, int offset, out int globalAction)
        {
            return _table.TryGetGlobalAction(globalState, counts, offset, out globalAction);
        }

        /// <inheritdoc/>
        public bool HasGlobalTable(int sampleSize)
        {
            // A table that does not say which k' it stores stores all of [KMin, K] (format version 1).
            IStoredGlobalTables stored = _table as IStoredGlobalTables;
            return stored != null ? stored.HasGlobalTable(sampleSize) : sampleSize >= _table.KMin && sampleSize <= _table.K;
        }

        /// <inheritdoc/>
        public int GetLocalAction(int globalState, int localState, byte randomByte)
        {
            return _table.GetLocalAction(globalState, localState, randomByte);
        }
    }
}
