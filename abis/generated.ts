// GENERATED FILE, do not edit. Made by @wagmi/cli from contracts/src (`npm run abis`).

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// LoomDeposits
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const loomDepositsAbi = [
  {
    type: 'constructor',
    inputs: [
      {
        name: 'market_',
        internalType: 'contract ILoomMarket',
        type: 'address',
      },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'order', internalType: 'bytes32', type: 'bytes32' },
      { name: 'token', internalType: 'address', type: 'address' },
    ],
    name: 'depositAddress',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'market',
    outputs: [
      { name: '', internalType: 'contract ILoomMarket', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct JobParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'client', internalType: 'address', type: 'address' },
    ],
    name: 'orderId',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'pure',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct JobParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
      { name: 'client', internalType: 'address', type: 'address' },
      {
        name: 'payment',
        internalType: 'struct TransferAuthorization',
        type: 'tuple',
        components: [
          { name: 'validAfter', internalType: 'uint256', type: 'uint256' },
          { name: 'validBefore', internalType: 'uint256', type: 'uint256' },
          { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
          { name: 'signature', internalType: 'bytes', type: 'bytes' },
        ],
      },
    ],
    name: 'postJob',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct JobParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'client', internalType: 'address', type: 'address' },
    ],
    name: 'refund',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'AlreadyRegistered',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'ArbiterNotAllowed',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'AuthorizationUnsupported',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'BidNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'BudgetOverflow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'CommitmentMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlineNotReached',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlinePassed',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'DefaultArbiterRequired',
  },
  {
    type: 'error',
    inputs: [
      { name: 'deposit', internalType: 'address', type: 'address' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DepositShort',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'DuplicateModel',
  },
  { type: 'error', inputs: [], name: 'EmptyName' },
  {
    type: 'error',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'EthTransferFailed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'feeBps', internalType: 'uint256', type: 'uint256' },
      { name: 'maxFeeBps', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FeeTooHigh',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'revealDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FinalizeTooEarly',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'free', internalType: 'uint256', type: 'uint256' },
      { name: 'required', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientFreeStake',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidBidPrice',
  },
  {
    type: 'error',
    inputs: [
      { name: 'challengeWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidChallengeWindow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'executionTimeout', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidExecutionTimeout',
  },
  {
    type: 'error',
    inputs: [
      { name: 'kind', internalType: 'uint8', type: 'uint8' },
      { name: 'files', internalType: 'uint256', type: 'uint256' },
      { name: 'imageLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelContent',
  },
  {
    type: 'error',
    inputs: [
      { name: 'count', internalType: 'uint256', type: 'uint256' },
      { name: 'maxCount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelCount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
      { name: 'offeredTo', internalType: 'address', type: 'address' },
    ],
    name: 'InvalidOffer',
  },
  {
    type: 'error',
    inputs: [
      { name: 'openUntil', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidOpenUntil',
  },
  {
    type: 'error',
    inputs: [
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
      { name: 'quorum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidReplication',
  },
  {
    type: 'error',
    inputs: [
      { name: 'workerAmount', internalType: 'uint256', type: 'uint256' },
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'slash', internalType: 'uint256', type: 'uint256' },
      { name: 'collateral', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidRuling',
  },
  {
    type: 'error',
    inputs: [
      { name: 'commitWindow', internalType: 'uint256', type: 'uint256' },
      { name: 'revealWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidWindow',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobAlreadyClosed',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'held', internalType: 'uint256', type: 'uint256' },
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'LockNotHeld',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'MarketNotTrusted',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelIsRetired',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'modelToken', internalType: 'address', type: 'address' },
      { name: 'jobToken', internalType: 'address', type: 'address' },
    ],
    name: 'ModelTokenMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'NoFreeSlot',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NoJoinRequest',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'NoTrustChangePending',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotArbiter',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotAssignedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotClient',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotModelCreator',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotOfferedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotParty',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolMember',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolOperator',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'NotRegistered',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotSlotWorker',
  },
  {
    type: 'error',
    inputs: [{ name: 'deposit', internalType: 'address', type: 'address' }],
    name: 'NothingDeposited',
  },
  {
    type: 'error',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'token', internalType: 'address', type: 'address' },
    ],
    name: 'NothingToWithdraw',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'count', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'PoolJobsActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
    ],
    name: 'PoolMembershipExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'PoolNotFound',
  },
  { type: 'error', inputs: [], name: 'ReentrancyGuardReentrantCall' },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'RequirementsNotMet',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'commitDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'RevealNotOpen',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'SafeERC20FailedOperation',
  },
  {
    type: 'error',
    inputs: [
      { name: 'bundleHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'actual', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'SealedBundleHashMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'SealedBundleMissing',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SealedBundleTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'SlotAlreadyHeld',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'filled', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SlotsTaken',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SpecTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'locked', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'StakeLocked',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TextTooLong',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'TokenNotAllowed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TransferAmountMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'effectiveAt', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TrustChangeNotReady',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
      { name: 'unlockAt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'UnbondingNotReady',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'UnexpectedSender',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'expected', internalType: 'enum SlotState', type: 'uint8' },
      { name: 'actual', internalType: 'enum SlotState', type: 'uint8' },
    ],
    name: 'UnexpectedSlotState',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'expected', internalType: 'enum JobStatus', type: 'uint8' },
      { name: 'actual', internalType: 'enum JobStatus', type: 'uint8' },
    ],
    name: 'UnexpectedStatus',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'UntrustedMarket',
  },
  {
    type: 'error',
    inputs: [
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'sent', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ValueMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'WorkerUnavailable',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
    ],
    name: 'WrongMode',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
  { type: 'error', inputs: [], name: 'ZeroBudget' },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroCommitment',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroResultHash',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// LoomMarket
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const loomMarketAbi = [
  {
    type: 'constructor',
    inputs: [
      {
        name: 'registry_',
        internalType: 'contract ILoomRegistry',
        type: 'address',
      },
      { name: 'owner_', internalType: 'address', type: 'address' },
      { name: 'treasury_', internalType: 'address', type: 'address' },
      { name: 'defaultArbiter_', internalType: 'address', type: 'address' },
      { name: 'feeBps_', internalType: 'uint16', type: 'uint16' },
    ],
    stateMutability: 'nonpayable',
  },
  { type: 'receive', stateMutability: 'payable' },
  {
    type: 'function',
    inputs: [],
    name: 'ACCEPT_WINDOW',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'ARBITRATION_PERIOD',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_CHALLENGE_WINDOW',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_EXECUTION_TIMEOUT',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_FEE_BPS',
    outputs: [{ name: '', internalType: 'uint16', type: 'uint16' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_OPEN_PERIOD',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_SPEC_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_TEXT_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'acceptBid',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'acceptOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'arbiterAllowed',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'bids',
    outputs: [{ name: 'price', internalType: 'uint96', type: 'uint96' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'cancelJob',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'claimJob',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'account', internalType: 'address', type: 'address' },
    ],
    name: 'credits',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'defaultArbiter',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'deposits',
    outputs: [
      { name: '', internalType: 'contract LoomDeposits', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'reason', internalType: 'string', type: 'string' },
    ],
    name: 'dispute',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'expire',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'feeBps',
    outputs: [{ name: '', internalType: 'uint16', type: 'uint16' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'jobIdOf',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'pure',
  },
  {
    type: 'function',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'jobs',
    outputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'status', internalType: 'enum JobStatus', type: 'uint8' },
      { name: 'closeReason', internalType: 'enum CloseReason', type: 'uint8' },
      { name: 'deadline', internalType: 'uint40', type: 'uint40' },
      { name: 'poolFeeBps', internalType: 'uint16', type: 'uint16' },
      { name: 'royalties', internalType: 'bool', type: 'bool' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'models',
    outputs: [
      { name: '', internalType: 'contract LoomModels', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'owner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'pendingOwner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'price', internalType: 'uint96', type: 'uint96' },
    ],
    name: 'placeBid',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct JobParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
    ],
    name: 'postJob',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct JobParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
      { name: 'client', internalType: 'address', type: 'address' },
      {
        name: 'payment',
        internalType: 'struct PaymentAuthorization',
        type: 'tuple',
        components: [
          { name: 'validAfter', internalType: 'uint256', type: 'uint256' },
          { name: 'validBefore', internalType: 'uint256', type: 'uint256' },
          { name: 'signature', internalType: 'bytes', type: 'bytes' },
        ],
      },
    ],
    name: 'postJobFor',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct JobParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
      { name: 'client', internalType: 'address', type: 'address' },
    ],
    name: 'postJobPaidBy',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'reclaim',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'registry',
    outputs: [
      { name: '', internalType: 'contract ILoomRegistry', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'release',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'renounceOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'workerAmount', internalType: 'uint96', type: 'uint96' },
      { name: 'slash', internalType: 'uint96', type: 'uint96' },
    ],
    name: 'resolveDispute',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'returnJob',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'arbiter', internalType: 'address', type: 'address' },
      { name: 'allowed', internalType: 'bool', type: 'bool' },
    ],
    name: 'setArbiter',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'setDefaultArbiter',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'feeBps_', internalType: 'uint16', type: 'uint16' }],
    name: 'setFee',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'allowed', internalType: 'bool', type: 'bool' },
    ],
    name: 'setTokenAllowed',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'treasury_', internalType: 'address', type: 'address' }],
    name: 'setTreasury',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'settleTimedOutDispute',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'evidence', internalType: 'string', type: 'string' },
    ],
    name: 'submitEvidence',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'resultHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'resultURI', internalType: 'string', type: 'string' },
    ],
    name: 'submitResult',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'tokenAllowed',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'newOwner', internalType: 'address', type: 'address' }],
    name: 'transferOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'treasury',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
    ],
    name: 'withdraw',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'withdrawBid',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'arbiter',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'allowed', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'ArbiterAllowed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'price', internalType: 'uint96', type: 'uint96', indexed: false },
    ],
    name: 'BidPlaced',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'BidWithdrawn',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'arbiter',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'DefaultArbiterSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'party',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'evidence',
        internalType: 'string',
        type: 'string',
        indexed: false,
      },
    ],
    name: 'EvidenceSubmitted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'feeBps',
        internalType: 'uint16',
        type: 'uint16',
        indexed: false,
      },
    ],
    name: 'FeeSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'price', internalType: 'uint96', type: 'uint96', indexed: false },
      {
        name: 'refund',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      {
        name: 'collateral',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      {
        name: 'executionDeadline',
        internalType: 'uint40',
        type: 'uint40',
        indexed: false,
      },
    ],
    name: 'JobAssigned',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'reason',
        internalType: 'enum CloseReason',
        type: 'uint8',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
      {
        name: 'workerPayout',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      { name: 'fee', internalType: 'uint96', type: 'uint96', indexed: false },
      {
        name: 'clientRefund',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      {
        name: 'slashed',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
    ],
    name: 'JobClosed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'client',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'reason',
        internalType: 'string',
        type: 'string',
        indexed: false,
      },
      {
        name: 'arbitrationDeadline',
        internalType: 'uint40',
        type: 'uint40',
        indexed: false,
      },
    ],
    name: 'JobDisputed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'client',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'terms',
        internalType: 'struct JobTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
        indexed: false,
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes', indexed: false },
    ],
    name: 'JobPosted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'previousOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'newOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnershipTransferStarted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'previousOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'newOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnershipTransferred',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'operator',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
      {
        name: 'amount',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
    ],
    name: 'PoolFeePaid',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'resultHash',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: false,
      },
      {
        name: 'resultURI',
        internalType: 'string',
        type: 'string',
        indexed: false,
      },
      {
        name: 'challengeDeadline',
        internalType: 'uint40',
        type: 'uint40',
        indexed: false,
      },
    ],
    name: 'ResultSubmitted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'allowed', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'TokenAllowed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'treasury',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'TreasurySet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'to', internalType: 'address', type: 'address', indexed: false },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Withdrawn',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'AlreadyRegistered',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'ArbiterNotAllowed',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'AuthorizationUnsupported',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'BidNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'BudgetOverflow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'CommitmentMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlineNotReached',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlinePassed',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'DefaultArbiterRequired',
  },
  {
    type: 'error',
    inputs: [
      { name: 'deposit', internalType: 'address', type: 'address' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DepositShort',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'DuplicateModel',
  },
  { type: 'error', inputs: [], name: 'EmptyName' },
  {
    type: 'error',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'EthTransferFailed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'feeBps', internalType: 'uint256', type: 'uint256' },
      { name: 'maxFeeBps', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FeeTooHigh',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'revealDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FinalizeTooEarly',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'free', internalType: 'uint256', type: 'uint256' },
      { name: 'required', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientFreeStake',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidBidPrice',
  },
  {
    type: 'error',
    inputs: [
      { name: 'challengeWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidChallengeWindow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'executionTimeout', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidExecutionTimeout',
  },
  {
    type: 'error',
    inputs: [
      { name: 'kind', internalType: 'uint8', type: 'uint8' },
      { name: 'files', internalType: 'uint256', type: 'uint256' },
      { name: 'imageLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelContent',
  },
  {
    type: 'error',
    inputs: [
      { name: 'count', internalType: 'uint256', type: 'uint256' },
      { name: 'maxCount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelCount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
      { name: 'offeredTo', internalType: 'address', type: 'address' },
    ],
    name: 'InvalidOffer',
  },
  {
    type: 'error',
    inputs: [
      { name: 'openUntil', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidOpenUntil',
  },
  {
    type: 'error',
    inputs: [
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
      { name: 'quorum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidReplication',
  },
  {
    type: 'error',
    inputs: [
      { name: 'workerAmount', internalType: 'uint256', type: 'uint256' },
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'slash', internalType: 'uint256', type: 'uint256' },
      { name: 'collateral', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidRuling',
  },
  {
    type: 'error',
    inputs: [
      { name: 'commitWindow', internalType: 'uint256', type: 'uint256' },
      { name: 'revealWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidWindow',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobAlreadyClosed',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'held', internalType: 'uint256', type: 'uint256' },
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'LockNotHeld',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'MarketNotTrusted',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelIsRetired',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'modelToken', internalType: 'address', type: 'address' },
      { name: 'jobToken', internalType: 'address', type: 'address' },
    ],
    name: 'ModelTokenMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'NoFreeSlot',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NoJoinRequest',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'NoTrustChangePending',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotArbiter',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotAssignedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotClient',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotModelCreator',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotOfferedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotParty',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolMember',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolOperator',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'NotRegistered',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotSlotWorker',
  },
  {
    type: 'error',
    inputs: [{ name: 'deposit', internalType: 'address', type: 'address' }],
    name: 'NothingDeposited',
  },
  {
    type: 'error',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'token', internalType: 'address', type: 'address' },
    ],
    name: 'NothingToWithdraw',
  },
  {
    type: 'error',
    inputs: [{ name: 'owner', internalType: 'address', type: 'address' }],
    name: 'OwnableInvalidOwner',
  },
  {
    type: 'error',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'OwnableUnauthorizedAccount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'count', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'PoolJobsActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
    ],
    name: 'PoolMembershipExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'PoolNotFound',
  },
  { type: 'error', inputs: [], name: 'ReentrancyGuardReentrantCall' },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'RequirementsNotMet',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'commitDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'RevealNotOpen',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'SafeERC20FailedOperation',
  },
  {
    type: 'error',
    inputs: [
      { name: 'bundleHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'actual', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'SealedBundleHashMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'SealedBundleMissing',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SealedBundleTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'SlotAlreadyHeld',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'filled', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SlotsTaken',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SpecTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'locked', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'StakeLocked',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TextTooLong',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'TokenNotAllowed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TransferAmountMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'effectiveAt', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TrustChangeNotReady',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
      { name: 'unlockAt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'UnbondingNotReady',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'UnexpectedSender',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'expected', internalType: 'enum SlotState', type: 'uint8' },
      { name: 'actual', internalType: 'enum SlotState', type: 'uint8' },
    ],
    name: 'UnexpectedSlotState',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'expected', internalType: 'enum JobStatus', type: 'uint8' },
      { name: 'actual', internalType: 'enum JobStatus', type: 'uint8' },
    ],
    name: 'UnexpectedStatus',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'UntrustedMarket',
  },
  {
    type: 'error',
    inputs: [
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'sent', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ValueMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'WorkerUnavailable',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
    ],
    name: 'WrongMode',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
  { type: 'error', inputs: [], name: 'ZeroBudget' },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroCommitment',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroResultHash',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// LoomModels
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const loomModelsAbi = [
  {
    type: 'constructor',
    inputs: [
      {
        name: 'registry_',
        internalType: 'contract ILoomRegistry',
        type: 'address',
      },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_MODELS_PER_JOB',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_MODEL_FILES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_TEXT_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'account', internalType: 'address', type: 'address' },
    ],
    name: 'credits',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'jobModels',
    outputs: [{ name: 'packedIds', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'market',
    outputs: [
      { name: '', internalType: 'contract ILoomMarket', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'modelCount',
    outputs: [{ name: '', internalType: 'uint32', type: 'uint32' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'models',
    outputs: [
      { name: 'creator', internalType: 'address', type: 'address' },
      { name: 'fee', internalType: 'uint96', type: 'uint96' },
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'retired', internalType: 'bool', type: 'bool' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct JobParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'arbiter', internalType: 'address', type: 'address' },
          { name: 'budget', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
          { name: 'offeredTo', internalType: 'address', type: 'address' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'executionTimeout', internalType: 'uint32', type: 'uint32' },
          { name: 'challengeWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
      { name: 'modelIds', internalType: 'uint32[]', type: 'uint32[]' },
    ],
    name: 'postJobWithModels',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'replicated',
        internalType: 'contract ILoomReplicatedMarket',
        type: 'address',
      },
      {
        name: 'p',
        internalType: 'struct ReplicatedParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
          { name: 'pool', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
      { name: 'modelIds', internalType: 'uint32[]', type: 'uint32[]' },
    ],
    name: 'postReplicatedJobWithModels',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'm',
        internalType: 'struct ModelParams',
        type: 'tuple',
        components: [
          { name: 'name', internalType: 'string', type: 'string' },
          { name: 'version', internalType: 'string', type: 'string' },
          { name: 'kind', internalType: 'enum ModelKind', type: 'uint8' },
          {
            name: 'files',
            internalType: 'struct ModelFile[]',
            type: 'tuple[]',
            components: [
              { name: 'sha256', internalType: 'bytes32', type: 'bytes32' },
              { name: 'size', internalType: 'uint64', type: 'uint64' },
              { name: 'path', internalType: 'string', type: 'string' },
            ],
          },
          { name: 'image', internalType: 'string', type: 'string' },
          { name: 'licenseURI', internalType: 'string', type: 'string' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'fee', internalType: 'uint96', type: 'uint96' },
          { name: 'previous', internalType: 'uint32', type: 'uint32' },
        ],
      },
    ],
    name: 'publish',
    outputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'registry',
    outputs: [
      { name: '', internalType: 'contract ILoomRegistry', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'retire',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'client', internalType: 'address', type: 'address' },
      { name: 'paid', internalType: 'uint256', type: 'uint256' },
      { name: 'total', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'settle',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
    ],
    name: 'withdraw',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'modelId',
        internalType: 'uint32',
        type: 'uint32',
        indexed: true,
      },
      {
        name: 'creator',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'previous',
        internalType: 'uint32',
        type: 'uint32',
        indexed: true,
      },
      {
        name: 'model',
        internalType: 'struct ModelParams',
        type: 'tuple',
        components: [
          { name: 'name', internalType: 'string', type: 'string' },
          { name: 'version', internalType: 'string', type: 'string' },
          { name: 'kind', internalType: 'enum ModelKind', type: 'uint8' },
          {
            name: 'files',
            internalType: 'struct ModelFile[]',
            type: 'tuple[]',
            components: [
              { name: 'sha256', internalType: 'bytes32', type: 'bytes32' },
              { name: 'size', internalType: 'uint64', type: 'uint64' },
              { name: 'path', internalType: 'string', type: 'string' },
            ],
          },
          { name: 'image', internalType: 'string', type: 'string' },
          { name: 'licenseURI', internalType: 'string', type: 'string' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'fee', internalType: 'uint96', type: 'uint96' },
          { name: 'previous', internalType: 'uint32', type: 'uint32' },
        ],
        indexed: false,
      },
    ],
    name: 'ModelPublished',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'modelId',
        internalType: 'uint32',
        type: 'uint32',
        indexed: true,
      },
    ],
    name: 'ModelRetired',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'market',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
      {
        name: 'modelIds',
        internalType: 'uint32[]',
        type: 'uint32[]',
        indexed: false,
      },
      {
        name: 'fees',
        internalType: 'uint96[]',
        type: 'uint96[]',
        indexed: false,
      },
    ],
    name: 'ModelsUsed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'market',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'modelId',
        internalType: 'uint32',
        type: 'uint32',
        indexed: true,
      },
      {
        name: 'creator',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
      {
        name: 'amount',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
    ],
    name: 'RoyaltyPaid',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'market',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'client',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'RoyaltyRefunded',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'to', internalType: 'address', type: 'address', indexed: false },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Withdrawn',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'AlreadyRegistered',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'ArbiterNotAllowed',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'AuthorizationUnsupported',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'BidNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'BudgetOverflow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'CommitmentMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlineNotReached',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlinePassed',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'DefaultArbiterRequired',
  },
  {
    type: 'error',
    inputs: [
      { name: 'deposit', internalType: 'address', type: 'address' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DepositShort',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'DuplicateModel',
  },
  { type: 'error', inputs: [], name: 'EmptyName' },
  {
    type: 'error',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'EthTransferFailed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'feeBps', internalType: 'uint256', type: 'uint256' },
      { name: 'maxFeeBps', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FeeTooHigh',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'revealDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FinalizeTooEarly',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'free', internalType: 'uint256', type: 'uint256' },
      { name: 'required', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientFreeStake',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidBidPrice',
  },
  {
    type: 'error',
    inputs: [
      { name: 'challengeWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidChallengeWindow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'executionTimeout', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidExecutionTimeout',
  },
  {
    type: 'error',
    inputs: [
      { name: 'kind', internalType: 'uint8', type: 'uint8' },
      { name: 'files', internalType: 'uint256', type: 'uint256' },
      { name: 'imageLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelContent',
  },
  {
    type: 'error',
    inputs: [
      { name: 'count', internalType: 'uint256', type: 'uint256' },
      { name: 'maxCount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelCount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
      { name: 'offeredTo', internalType: 'address', type: 'address' },
    ],
    name: 'InvalidOffer',
  },
  {
    type: 'error',
    inputs: [
      { name: 'openUntil', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidOpenUntil',
  },
  {
    type: 'error',
    inputs: [
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
      { name: 'quorum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidReplication',
  },
  {
    type: 'error',
    inputs: [
      { name: 'workerAmount', internalType: 'uint256', type: 'uint256' },
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'slash', internalType: 'uint256', type: 'uint256' },
      { name: 'collateral', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidRuling',
  },
  {
    type: 'error',
    inputs: [
      { name: 'commitWindow', internalType: 'uint256', type: 'uint256' },
      { name: 'revealWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidWindow',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobAlreadyClosed',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'held', internalType: 'uint256', type: 'uint256' },
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'LockNotHeld',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'MarketNotTrusted',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelIsRetired',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'modelToken', internalType: 'address', type: 'address' },
      { name: 'jobToken', internalType: 'address', type: 'address' },
    ],
    name: 'ModelTokenMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'NoFreeSlot',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NoJoinRequest',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'NoTrustChangePending',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotArbiter',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotAssignedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotClient',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotModelCreator',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotOfferedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotParty',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolMember',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolOperator',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'NotRegistered',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotSlotWorker',
  },
  {
    type: 'error',
    inputs: [{ name: 'deposit', internalType: 'address', type: 'address' }],
    name: 'NothingDeposited',
  },
  {
    type: 'error',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'token', internalType: 'address', type: 'address' },
    ],
    name: 'NothingToWithdraw',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'count', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'PoolJobsActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
    ],
    name: 'PoolMembershipExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'PoolNotFound',
  },
  { type: 'error', inputs: [], name: 'ReentrancyGuardReentrantCall' },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'RequirementsNotMet',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'commitDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'RevealNotOpen',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'SafeERC20FailedOperation',
  },
  {
    type: 'error',
    inputs: [
      { name: 'bundleHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'actual', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'SealedBundleHashMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'SealedBundleMissing',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SealedBundleTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'SlotAlreadyHeld',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'filled', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SlotsTaken',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SpecTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'locked', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'StakeLocked',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TextTooLong',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'TokenNotAllowed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TransferAmountMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'effectiveAt', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TrustChangeNotReady',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
      { name: 'unlockAt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'UnbondingNotReady',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'UnexpectedSender',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'expected', internalType: 'enum SlotState', type: 'uint8' },
      { name: 'actual', internalType: 'enum SlotState', type: 'uint8' },
    ],
    name: 'UnexpectedSlotState',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'expected', internalType: 'enum JobStatus', type: 'uint8' },
      { name: 'actual', internalType: 'enum JobStatus', type: 'uint8' },
    ],
    name: 'UnexpectedStatus',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'UntrustedMarket',
  },
  {
    type: 'error',
    inputs: [
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'sent', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ValueMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'WorkerUnavailable',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
    ],
    name: 'WrongMode',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
  { type: 'error', inputs: [], name: 'ZeroBudget' },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroCommitment',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroResultHash',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// LoomRegistry
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const loomRegistryAbi = [
  {
    type: 'constructor',
    inputs: [
      { name: 'owner_', internalType: 'address', type: 'address' },
      { name: 'markets', internalType: 'address[]', type: 'address[]' },
    ],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_INLINE_SEALED_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_POOL_FEE_BPS',
    outputs: [{ name: '', internalType: 'uint16', type: 'uint16' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_POOL_NAME_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_TEXT_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'TRUST_DELAY',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'UNBONDING_PERIOD',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'acceptOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'addStake',
    outputs: [],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'applyTrust',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'approveMember',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
      {
        name: 'req',
        internalType: 'struct Requirements',
        type: 'tuple',
        components: [
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
        ],
      },
      { name: 'collateral', internalType: 'uint96', type: 'uint96' },
    ],
    name: 'checkEligible',
    outputs: [],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'checkPool',
    outputs: [],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'name', internalType: 'string', type: 'string' },
      { name: 'metadataURI', internalType: 'string', type: 'string' },
      { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
      { name: 'approvalRequired', internalType: 'bool', type: 'bool' },
    ],
    name: 'createPool',
    outputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'deregister',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'encryptionKeyOf',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'endPoolJob',
    outputs: [{ name: 'operator', internalType: 'address', type: 'address' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'gpuModelOf',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'joinPool',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'leavePool',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
      {
        name: 'req',
        internalType: 'struct Requirements',
        type: 'tuple',
        components: [
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
        ],
      },
      { name: 'collateral', internalType: 'uint96', type: 'uint96' },
    ],
    name: 'lock',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'lockedBy',
    outputs: [{ name: '', internalType: 'uint96', type: 'uint96' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'memberships',
    outputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'state', internalType: 'enum PoolMemberState', type: 'uint8' },
      { name: 'activeJobs', internalType: 'uint32', type: 'uint32' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'owner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'pendingOwner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'pendingTrust',
    outputs: [
      { name: 'trusted', internalType: 'bool', type: 'bool' },
      { name: 'effectiveAt', internalType: 'uint40', type: 'uint40' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'poolCount',
    outputs: [{ name: '', internalType: 'uint64', type: 'uint64' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'pools',
    outputs: [
      { name: 'operator', internalType: 'address', type: 'address' },
      { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
      { name: 'approvalRequired', internalType: 'bool', type: 'bool' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'trusted_', internalType: 'bool', type: 'bool' },
    ],
    name: 'proposeTrust',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'claim',
        internalType: 'struct HardwareClaim',
        type: 'tuple',
        components: [
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'gpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'vramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'cpuCores', internalType: 'uint16', type: 'uint16' },
          { name: 'ramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'pricePerGpuHour', internalType: 'uint96', type: 'uint96' },
          { name: 'metadataURI', internalType: 'string', type: 'string' },
        ],
      },
    ],
    name: 'register',
    outputs: [],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'removeMember',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'renounceOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'amount', internalType: 'uint96', type: 'uint96' }],
    name: 'requestUnstake',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'bundleHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'inlineBundle', internalType: 'bytes', type: 'bytes' },
      { name: 'uri', internalType: 'string', type: 'string' },
    ],
    name: 'sendSealed',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'available', internalType: 'bool', type: 'bool' }],
    name: 'setAvailability',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'key', internalType: 'bytes32', type: 'bytes32' }],
    name: 'setEncryptionKey',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
    ],
    name: 'setPoolFee',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'startPoolJob',
    outputs: [{ name: 'feeBps', internalType: 'uint16', type: 'uint16' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'newOwner', internalType: 'address', type: 'address' }],
    name: 'transferOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'trusted',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'unbonding',
    outputs: [
      { name: 'amount', internalType: 'uint96', type: 'uint96' },
      { name: 'unlockAt', internalType: 'uint40', type: 'uint40' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'collateral', internalType: 'uint96', type: 'uint96' },
      { name: 'slash', internalType: 'uint96', type: 'uint96' },
    ],
    name: 'unlock',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'claim',
        internalType: 'struct HardwareClaim',
        type: 'tuple',
        components: [
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'gpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'vramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'cpuCores', internalType: 'uint16', type: 'uint16' },
          { name: 'ramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'pricePerGpuHour', internalType: 'uint96', type: 'uint96' },
          { name: 'metadataURI', internalType: 'string', type: 'string' },
        ],
      },
    ],
    name: 'updateClaim',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'to', internalType: 'address', type: 'address' }],
    name: 'withdrawStake',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'workers',
    outputs: [
      { name: 'stake', internalType: 'uint96', type: 'uint96' },
      { name: 'locked', internalType: 'uint96', type: 'uint96' },
      { name: 'gpuCount', internalType: 'uint16', type: 'uint16' },
      { name: 'vramMiB', internalType: 'uint32', type: 'uint32' },
      { name: 'registered', internalType: 'bool', type: 'bool' },
      { name: 'available', internalType: 'bool', type: 'bool' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'key', internalType: 'bytes32', type: 'bytes32', indexed: false },
    ],
    name: 'EncryptionKeySet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'market',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'trusted', internalType: 'bool', type: 'bool', indexed: false },
      {
        name: 'effectiveAt',
        internalType: 'uint40',
        type: 'uint40',
        indexed: false,
      },
    ],
    name: 'MarketTrustProposed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'market',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'trusted', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'MarketTrustSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'previousOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'newOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnershipTransferStarted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'previousOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'newOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnershipTransferred',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'operator',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'name', internalType: 'string', type: 'string', indexed: false },
      {
        name: 'metadataURI',
        internalType: 'string',
        type: 'string',
        indexed: false,
      },
      {
        name: 'feeBps',
        internalType: 'uint16',
        type: 'uint16',
        indexed: false,
      },
      {
        name: 'approvalRequired',
        internalType: 'bool',
        type: 'bool',
        indexed: false,
      },
    ],
    name: 'PoolCreated',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'feeBps',
        internalType: 'uint16',
        type: 'uint16',
        indexed: false,
      },
    ],
    name: 'PoolFeeSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'PoolJoinRequested',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'PoolLeaveRequested',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'PoolMemberAdded',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'PoolMemberLeft',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'PoolMemberRemoved',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'client',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'bundleHash',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: false,
      },
      {
        name: 'inlineBundle',
        internalType: 'bytes',
        type: 'bytes',
        indexed: false,
      },
      { name: 'uri', internalType: 'string', type: 'string', indexed: false },
    ],
    name: 'SealedBundleSent',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'amount',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      { name: 'stake', internalType: 'uint96', type: 'uint96', indexed: false },
    ],
    name: 'StakeAdded',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'to', internalType: 'address', type: 'address', indexed: false },
      {
        name: 'amount',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
    ],
    name: 'StakeWithdrawn',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'amount',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      { name: 'stake', internalType: 'uint96', type: 'uint96', indexed: false },
      {
        name: 'unbonding',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      {
        name: 'unlockAt',
        internalType: 'uint40',
        type: 'uint40',
        indexed: false,
      },
    ],
    name: 'UnstakeRequested',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'available', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'WorkerAvailabilitySet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'claim',
        internalType: 'struct HardwareClaim',
        type: 'tuple',
        components: [
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'gpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'vramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'cpuCores', internalType: 'uint16', type: 'uint16' },
          { name: 'ramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'pricePerGpuHour', internalType: 'uint96', type: 'uint96' },
          { name: 'metadataURI', internalType: 'string', type: 'string' },
        ],
        indexed: false,
      },
    ],
    name: 'WorkerClaimUpdated',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'unbonding',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      {
        name: 'unlockAt',
        internalType: 'uint40',
        type: 'uint40',
        indexed: false,
      },
    ],
    name: 'WorkerDeregistered',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'claim',
        internalType: 'struct HardwareClaim',
        type: 'tuple',
        components: [
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'gpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'vramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'cpuCores', internalType: 'uint16', type: 'uint16' },
          { name: 'ramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'pricePerGpuHour', internalType: 'uint96', type: 'uint96' },
          { name: 'metadataURI', internalType: 'string', type: 'string' },
        ],
        indexed: false,
      },
      { name: 'stake', internalType: 'uint96', type: 'uint96', indexed: false },
    ],
    name: 'WorkerRegistered',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'AlreadyRegistered',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'ArbiterNotAllowed',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'AuthorizationUnsupported',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'BidNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'BudgetOverflow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'CommitmentMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlineNotReached',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlinePassed',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'DefaultArbiterRequired',
  },
  {
    type: 'error',
    inputs: [
      { name: 'deposit', internalType: 'address', type: 'address' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DepositShort',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'DuplicateModel',
  },
  { type: 'error', inputs: [], name: 'EmptyName' },
  {
    type: 'error',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'EthTransferFailed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'feeBps', internalType: 'uint256', type: 'uint256' },
      { name: 'maxFeeBps', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FeeTooHigh',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'revealDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FinalizeTooEarly',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'free', internalType: 'uint256', type: 'uint256' },
      { name: 'required', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientFreeStake',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidBidPrice',
  },
  {
    type: 'error',
    inputs: [
      { name: 'challengeWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidChallengeWindow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'executionTimeout', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidExecutionTimeout',
  },
  {
    type: 'error',
    inputs: [
      { name: 'kind', internalType: 'uint8', type: 'uint8' },
      { name: 'files', internalType: 'uint256', type: 'uint256' },
      { name: 'imageLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelContent',
  },
  {
    type: 'error',
    inputs: [
      { name: 'count', internalType: 'uint256', type: 'uint256' },
      { name: 'maxCount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelCount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
      { name: 'offeredTo', internalType: 'address', type: 'address' },
    ],
    name: 'InvalidOffer',
  },
  {
    type: 'error',
    inputs: [
      { name: 'openUntil', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidOpenUntil',
  },
  {
    type: 'error',
    inputs: [
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
      { name: 'quorum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidReplication',
  },
  {
    type: 'error',
    inputs: [
      { name: 'workerAmount', internalType: 'uint256', type: 'uint256' },
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'slash', internalType: 'uint256', type: 'uint256' },
      { name: 'collateral', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidRuling',
  },
  {
    type: 'error',
    inputs: [
      { name: 'commitWindow', internalType: 'uint256', type: 'uint256' },
      { name: 'revealWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidWindow',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobAlreadyClosed',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'held', internalType: 'uint256', type: 'uint256' },
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'LockNotHeld',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'MarketNotTrusted',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelIsRetired',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'modelToken', internalType: 'address', type: 'address' },
      { name: 'jobToken', internalType: 'address', type: 'address' },
    ],
    name: 'ModelTokenMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'NoFreeSlot',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NoJoinRequest',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'NoTrustChangePending',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotArbiter',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotAssignedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotClient',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotModelCreator',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotOfferedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotParty',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolMember',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolOperator',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'NotRegistered',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotSlotWorker',
  },
  {
    type: 'error',
    inputs: [{ name: 'deposit', internalType: 'address', type: 'address' }],
    name: 'NothingDeposited',
  },
  {
    type: 'error',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'token', internalType: 'address', type: 'address' },
    ],
    name: 'NothingToWithdraw',
  },
  {
    type: 'error',
    inputs: [{ name: 'owner', internalType: 'address', type: 'address' }],
    name: 'OwnableInvalidOwner',
  },
  {
    type: 'error',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'OwnableUnauthorizedAccount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'count', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'PoolJobsActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
    ],
    name: 'PoolMembershipExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'PoolNotFound',
  },
  { type: 'error', inputs: [], name: 'ReentrancyGuardReentrantCall' },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'RequirementsNotMet',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'commitDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'RevealNotOpen',
  },
  {
    type: 'error',
    inputs: [
      { name: 'bundleHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'actual', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'SealedBundleHashMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'SealedBundleMissing',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SealedBundleTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'SlotAlreadyHeld',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'filled', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SlotsTaken',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SpecTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'locked', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'StakeLocked',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TextTooLong',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'TokenNotAllowed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TransferAmountMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'effectiveAt', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TrustChangeNotReady',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
      { name: 'unlockAt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'UnbondingNotReady',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'UnexpectedSender',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'expected', internalType: 'enum SlotState', type: 'uint8' },
      { name: 'actual', internalType: 'enum SlotState', type: 'uint8' },
    ],
    name: 'UnexpectedSlotState',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'expected', internalType: 'enum JobStatus', type: 'uint8' },
      { name: 'actual', internalType: 'enum JobStatus', type: 'uint8' },
    ],
    name: 'UnexpectedStatus',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'UntrustedMarket',
  },
  {
    type: 'error',
    inputs: [
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'sent', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ValueMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'WorkerUnavailable',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
    ],
    name: 'WrongMode',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
  { type: 'error', inputs: [], name: 'ZeroBudget' },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroCommitment',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroResultHash',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// LoomReplicatedMarket
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const loomReplicatedMarketAbi = [
  {
    type: 'constructor',
    inputs: [
      {
        name: 'registry_',
        internalType: 'contract ILoomRegistry',
        type: 'address',
      },
      { name: 'owner_', internalType: 'address', type: 'address' },
      { name: 'treasury_', internalType: 'address', type: 'address' },
      { name: 'feeBps_', internalType: 'uint16', type: 'uint16' },
      {
        name: 'models_',
        internalType: 'contract ILoomModels',
        type: 'address',
      },
    ],
    stateMutability: 'nonpayable',
  },
  { type: 'receive', stateMutability: 'payable' },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_FEE_BPS',
    outputs: [{ name: '', internalType: 'uint16', type: 'uint16' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_OPEN_PERIOD',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_PHASE_WINDOW',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_REPLICAS',
    outputs: [{ name: '', internalType: 'uint8', type: 'uint8' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_SPEC_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'MAX_TEXT_BYTES',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'acceptOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct ReplicatedTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'cancelReplicatedJob',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct ReplicatedTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'slot', internalType: 'uint8', type: 'uint8' },
      { name: 'commitment', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'commitResult',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'resultHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'salt', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'commitmentOf',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'pure',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'account', internalType: 'address', type: 'address' },
    ],
    name: 'credits',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'feeBps',
    outputs: [{ name: '', internalType: 'uint16', type: 'uint16' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct ReplicatedTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'finalize',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'models',
    outputs: [
      { name: '', internalType: 'contract ILoomModels', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'owner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'pendingOwner',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct ReplicatedParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
          { name: 'pool', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
    ],
    name: 'postReplicatedJob',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'p',
        internalType: 'struct ReplicatedParams',
        type: 'tuple',
        components: [
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
          { name: 'pool', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes' },
      { name: 'client', internalType: 'address', type: 'address' },
    ],
    name: 'postReplicatedJobPaidBy',
    outputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'payable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'registry',
    outputs: [
      { name: '', internalType: 'contract ILoomRegistry', type: 'address' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'renounceOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct ReplicatedTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'replicatedJobIdOf',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'pure',
  },
  {
    type: 'function',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'replicatedJobs',
    outputs: [
      { name: 'status', internalType: 'enum ReplicatedStatus', type: 'uint8' },
      { name: 'filled', internalType: 'uint8', type: 'uint8' },
      { name: 'committed', internalType: 'uint8', type: 'uint8' },
      { name: 'revealed', internalType: 'uint8', type: 'uint8' },
      { name: 'revealDeadline', internalType: 'uint40', type: 'uint40' },
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'royalties', internalType: 'bool', type: 'bool' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct ReplicatedTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
      { name: 'slot', internalType: 'uint8', type: 'uint8' },
      { name: 'resultHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'salt', internalType: 'bytes32', type: 'bytes32' },
      { name: 'resultURI', internalType: 'string', type: 'string' },
    ],
    name: 'revealResult',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'feeBps_', internalType: 'uint16', type: 'uint16' }],
    name: 'setFee',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'allowed', internalType: 'bool', type: 'bool' },
    ],
    name: 'setTokenAllowed',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'treasury_', internalType: 'address', type: 'address' }],
    name: 'setTreasury',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'slotHashes',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'slots',
    outputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'state', internalType: 'enum SlotState', type: 'uint8' },
      { name: 'poolFeeBps', internalType: 'uint16', type: 'uint16' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      {
        name: 'terms',
        internalType: 'struct ReplicatedTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
      },
    ],
    name: 'takeSlot',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'tokenAllowed',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'newOwner', internalType: 'address', type: 'address' }],
    name: 'transferOwnership',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'treasury',
    outputs: [{ name: '', internalType: 'address', type: 'address' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
    ],
    name: 'withdraw',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'feeBps',
        internalType: 'uint16',
        type: 'uint16',
        indexed: false,
      },
    ],
    name: 'FeeSet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'previousOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'newOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnershipTransferStarted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'previousOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'newOwner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'OwnershipTransferred',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
      {
        name: 'operator',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: false,
      },
      {
        name: 'amount',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
    ],
    name: 'PoolFeePaid',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'outcome',
        internalType: 'enum ReplicatedOutcome',
        type: 'uint8',
        indexed: true,
      },
      {
        name: 'resultHash',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: false,
      },
      {
        name: 'workers',
        internalType: 'address[]',
        type: 'address[]',
        indexed: false,
      },
      {
        name: 'payouts',
        internalType: 'uint96[]',
        type: 'uint96[]',
        indexed: false,
      },
      {
        name: 'slashed',
        internalType: 'uint96[]',
        type: 'uint96[]',
        indexed: false,
      },
      { name: 'fee', internalType: 'uint96', type: 'uint96', indexed: false },
      {
        name: 'clientRefund',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      {
        name: 'winnerSlashShare',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
      {
        name: 'clientSlashShare',
        internalType: 'uint96',
        type: 'uint96',
        indexed: false,
      },
    ],
    name: 'ReplicatedJobClosed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      { name: 'pool', internalType: 'uint64', type: 'uint64', indexed: true },
    ],
    name: 'ReplicatedJobPooled',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'client',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'terms',
        internalType: 'struct ReplicatedTerms',
        type: 'tuple',
        components: [
          { name: 'client', internalType: 'address', type: 'address' },
          { name: 'token', internalType: 'address', type: 'address' },
          { name: 'price', internalType: 'uint96', type: 'uint96' },
          { name: 'collateral', internalType: 'uint96', type: 'uint96' },
          { name: 'feeBps', internalType: 'uint16', type: 'uint16' },
          { name: 'replicas', internalType: 'uint8', type: 'uint8' },
          { name: 'quorum', internalType: 'uint8', type: 'uint8' },
          { name: 'openUntil', internalType: 'uint40', type: 'uint40' },
          { name: 'commitWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'revealWindow', internalType: 'uint32', type: 'uint32' },
          { name: 'minGpuCount', internalType: 'uint16', type: 'uint16' },
          { name: 'minVramMiB', internalType: 'uint32', type: 'uint32' },
          { name: 'gpuModel', internalType: 'bytes32', type: 'bytes32' },
          { name: 'specHash', internalType: 'bytes32', type: 'bytes32' },
          { name: 'salt', internalType: 'uint64', type: 'uint64' },
        ],
        indexed: false,
      },
      { name: 'spec', internalType: 'bytes', type: 'bytes', indexed: false },
    ],
    name: 'ReplicatedJobPosted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'slot', internalType: 'uint8', type: 'uint8', indexed: false },
      {
        name: 'commitment',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: false,
      },
      {
        name: 'committed',
        internalType: 'uint8',
        type: 'uint8',
        indexed: false,
      },
      {
        name: 'revealDeadline',
        internalType: 'uint40',
        type: 'uint40',
        indexed: false,
      },
    ],
    name: 'ResultCommitted',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'slot', internalType: 'uint8', type: 'uint8', indexed: false },
      {
        name: 'resultHash',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: false,
      },
      {
        name: 'resultURI',
        internalType: 'string',
        type: 'string',
        indexed: false,
      },
    ],
    name: 'ResultRevealed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'jobId',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
      {
        name: 'worker',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'slot', internalType: 'uint8', type: 'uint8', indexed: false },
      { name: 'filled', internalType: 'uint8', type: 'uint8', indexed: false },
    ],
    name: 'SlotTaken',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'allowed', internalType: 'bool', type: 'bool', indexed: false },
    ],
    name: 'TokenAllowed',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'treasury',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
    ],
    name: 'TreasurySet',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'account',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'token',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      { name: 'to', internalType: 'address', type: 'address', indexed: false },
      {
        name: 'amount',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Withdrawn',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'AlreadyRegistered',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'ArbiterNotAllowed',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'AuthorizationUnsupported',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'BidNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'BudgetOverflow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'CommitmentMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlineNotReached',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DeadlinePassed',
  },
  {
    type: 'error',
    inputs: [{ name: 'arbiter', internalType: 'address', type: 'address' }],
    name: 'DefaultArbiterRequired',
  },
  {
    type: 'error',
    inputs: [
      { name: 'deposit', internalType: 'address', type: 'address' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'DepositShort',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'DuplicateModel',
  },
  { type: 'error', inputs: [], name: 'EmptyName' },
  {
    type: 'error',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'EthTransferFailed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'feeBps', internalType: 'uint256', type: 'uint256' },
      { name: 'maxFeeBps', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FeeTooHigh',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'revealDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'FinalizeTooEarly',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'free', internalType: 'uint256', type: 'uint256' },
      { name: 'required', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InsufficientFreeStake',
  },
  {
    type: 'error',
    inputs: [
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'budget', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidBidPrice',
  },
  {
    type: 'error',
    inputs: [
      { name: 'challengeWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidChallengeWindow',
  },
  {
    type: 'error',
    inputs: [
      { name: 'executionTimeout', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidExecutionTimeout',
  },
  {
    type: 'error',
    inputs: [
      { name: 'kind', internalType: 'uint8', type: 'uint8' },
      { name: 'files', internalType: 'uint256', type: 'uint256' },
      { name: 'imageLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelContent',
  },
  {
    type: 'error',
    inputs: [
      { name: 'count', internalType: 'uint256', type: 'uint256' },
      { name: 'maxCount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidModelCount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
      { name: 'offeredTo', internalType: 'address', type: 'address' },
    ],
    name: 'InvalidOffer',
  },
  {
    type: 'error',
    inputs: [
      { name: 'openUntil', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidOpenUntil',
  },
  {
    type: 'error',
    inputs: [
      { name: 'replicas', internalType: 'uint256', type: 'uint256' },
      { name: 'quorum', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidReplication',
  },
  {
    type: 'error',
    inputs: [
      { name: 'workerAmount', internalType: 'uint256', type: 'uint256' },
      { name: 'price', internalType: 'uint256', type: 'uint256' },
      { name: 'slash', internalType: 'uint256', type: 'uint256' },
      { name: 'collateral', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidRuling',
  },
  {
    type: 'error',
    inputs: [
      { name: 'commitWindow', internalType: 'uint256', type: 'uint256' },
      { name: 'revealWindow', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidWindow',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobAlreadyClosed',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'JobNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'held', internalType: 'uint256', type: 'uint256' },
      { name: 'requested', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'LockNotHeld',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'MarketNotTrusted',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelIsRetired',
  },
  {
    type: 'error',
    inputs: [{ name: 'modelId', internalType: 'uint32', type: 'uint32' }],
    name: 'ModelNotFound',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'modelToken', internalType: 'address', type: 'address' },
      { name: 'jobToken', internalType: 'address', type: 'address' },
    ],
    name: 'ModelTokenMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'NoFreeSlot',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NoJoinRequest',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'NoTrustChangePending',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotArbiter',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotAssignedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotClient',
  },
  {
    type: 'error',
    inputs: [
      { name: 'modelId', internalType: 'uint32', type: 'uint32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotModelCreator',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotOfferedWorker',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotParty',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolMember',
  },
  {
    type: 'error',
    inputs: [
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotPoolOperator',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'NotRegistered',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'caller', internalType: 'address', type: 'address' },
    ],
    name: 'NotSlotWorker',
  },
  {
    type: 'error',
    inputs: [{ name: 'deposit', internalType: 'address', type: 'address' }],
    name: 'NothingDeposited',
  },
  {
    type: 'error',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'token', internalType: 'address', type: 'address' },
    ],
    name: 'NothingToWithdraw',
  },
  {
    type: 'error',
    inputs: [{ name: 'owner', internalType: 'address', type: 'address' }],
    name: 'OwnableInvalidOwner',
  },
  {
    type: 'error',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'OwnableUnauthorizedAccount',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'count', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'PoolJobsActive',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'pool', internalType: 'uint64', type: 'uint64' },
    ],
    name: 'PoolMembershipExists',
  },
  {
    type: 'error',
    inputs: [{ name: 'pool', internalType: 'uint64', type: 'uint64' }],
    name: 'PoolNotFound',
  },
  { type: 'error', inputs: [], name: 'ReentrancyGuardReentrantCall' },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'RequirementsNotMet',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'commitDeadline', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'RevealNotOpen',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'SafeERC20FailedOperation',
  },
  {
    type: 'error',
    inputs: [
      { name: 'bundleHash', internalType: 'bytes32', type: 'bytes32' },
      { name: 'actual', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'SealedBundleHashMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'SealedBundleMissing',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SealedBundleTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'worker', internalType: 'address', type: 'address' },
    ],
    name: 'SlotAlreadyHeld',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'filled', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SlotsTaken',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SpecTooLarge',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'locked', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'StakeLocked',
  },
  {
    type: 'error',
    inputs: [
      { name: 'length', internalType: 'uint256', type: 'uint256' },
      { name: 'maxLength', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TextTooLong',
  },
  {
    type: 'error',
    inputs: [{ name: 'token', internalType: 'address', type: 'address' }],
    name: 'TokenNotAllowed',
  },
  {
    type: 'error',
    inputs: [
      { name: 'token', internalType: 'address', type: 'address' },
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'received', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TransferAmountMismatch',
  },
  {
    type: 'error',
    inputs: [
      { name: 'market', internalType: 'address', type: 'address' },
      { name: 'effectiveAt', internalType: 'uint256', type: 'uint256' },
      { name: 'timestamp', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'TrustChangeNotReady',
  },
  {
    type: 'error',
    inputs: [
      { name: 'worker', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
      { name: 'unlockAt', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'UnbondingNotReady',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'UnexpectedSender',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'slot', internalType: 'uint256', type: 'uint256' },
      { name: 'expected', internalType: 'enum SlotState', type: 'uint8' },
      { name: 'actual', internalType: 'enum SlotState', type: 'uint8' },
    ],
    name: 'UnexpectedSlotState',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'expected', internalType: 'enum JobStatus', type: 'uint8' },
      { name: 'actual', internalType: 'enum JobStatus', type: 'uint8' },
    ],
    name: 'UnexpectedStatus',
  },
  {
    type: 'error',
    inputs: [{ name: 'market', internalType: 'address', type: 'address' }],
    name: 'UntrustedMarket',
  },
  {
    type: 'error',
    inputs: [
      { name: 'expected', internalType: 'uint256', type: 'uint256' },
      { name: 'sent', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ValueMismatch',
  },
  {
    type: 'error',
    inputs: [{ name: 'worker', internalType: 'address', type: 'address' }],
    name: 'WorkerUnavailable',
  },
  {
    type: 'error',
    inputs: [
      { name: 'jobId', internalType: 'bytes32', type: 'bytes32' },
      { name: 'mode', internalType: 'enum JobMode', type: 'uint8' },
    ],
    name: 'WrongMode',
  },
  { type: 'error', inputs: [], name: 'ZeroAddress' },
  { type: 'error', inputs: [], name: 'ZeroBudget' },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroCommitment',
  },
  {
    type: 'error',
    inputs: [{ name: 'jobId', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ZeroResultHash',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// TestUSDC
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

export const testUsdcAbi = [
  { type: 'constructor', inputs: [], stateMutability: 'nonpayable' },
  {
    type: 'function',
    inputs: [],
    name: 'DOMAIN_SEPARATOR',
    outputs: [{ name: '', internalType: 'bytes32', type: 'bytes32' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'spender', internalType: 'address', type: 'address' },
    ],
    name: 'allowance',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'approve',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'authorizer', internalType: 'address', type: 'address' },
      { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'authorizationState',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'account', internalType: 'address', type: 'address' }],
    name: 'balanceOf',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'authorizer', internalType: 'address', type: 'address' },
      { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
      { name: 'v', internalType: 'uint8', type: 'uint8' },
      { name: 'r', internalType: 'bytes32', type: 'bytes32' },
      { name: 's', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'cancelAuthorization',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'decimals',
    outputs: [{ name: '', internalType: 'uint8', type: 'uint8' }],
    stateMutability: 'pure',
  },
  {
    type: 'function',
    inputs: [],
    name: 'eip712Domain',
    outputs: [
      { name: 'fields', internalType: 'bytes1', type: 'bytes1' },
      { name: 'name', internalType: 'string', type: 'string' },
      { name: 'version', internalType: 'string', type: 'string' },
      { name: 'chainId', internalType: 'uint256', type: 'uint256' },
      { name: 'verifyingContract', internalType: 'address', type: 'address' },
      { name: 'salt', internalType: 'bytes32', type: 'bytes32' },
      { name: 'extensions', internalType: 'uint256[]', type: 'uint256[]' },
    ],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'amount', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'mint',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'name',
    outputs: [{ name: '', internalType: 'string', type: 'string' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [{ name: 'owner', internalType: 'address', type: 'address' }],
    name: 'nonces',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'owner', internalType: 'address', type: 'address' },
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
      { name: 'deadline', internalType: 'uint256', type: 'uint256' },
      { name: 'v', internalType: 'uint8', type: 'uint8' },
      { name: 'r', internalType: 'bytes32', type: 'bytes32' },
      { name: 's', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'permit',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'from', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
      { name: 'validAfter', internalType: 'uint256', type: 'uint256' },
      { name: 'validBefore', internalType: 'uint256', type: 'uint256' },
      { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
      { name: 'signature', internalType: 'bytes', type: 'bytes' },
    ],
    name: 'receiveWithAuthorization',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'from', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
      { name: 'validAfter', internalType: 'uint256', type: 'uint256' },
      { name: 'validBefore', internalType: 'uint256', type: 'uint256' },
      { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
      { name: 'v', internalType: 'uint8', type: 'uint8' },
      { name: 'r', internalType: 'bytes32', type: 'bytes32' },
      { name: 's', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'receiveWithAuthorization',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [],
    name: 'symbol',
    outputs: [{ name: '', internalType: 'string', type: 'string' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [],
    name: 'totalSupply',
    outputs: [{ name: '', internalType: 'uint256', type: 'uint256' }],
    stateMutability: 'view',
  },
  {
    type: 'function',
    inputs: [
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'transfer',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'from', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'transferFrom',
    outputs: [{ name: '', internalType: 'bool', type: 'bool' }],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'from', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
      { name: 'validAfter', internalType: 'uint256', type: 'uint256' },
      { name: 'validBefore', internalType: 'uint256', type: 'uint256' },
      { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
      { name: 'signature', internalType: 'bytes', type: 'bytes' },
    ],
    name: 'transferWithAuthorization',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'function',
    inputs: [
      { name: 'from', internalType: 'address', type: 'address' },
      { name: 'to', internalType: 'address', type: 'address' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
      { name: 'validAfter', internalType: 'uint256', type: 'uint256' },
      { name: 'validBefore', internalType: 'uint256', type: 'uint256' },
      { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
      { name: 'v', internalType: 'uint8', type: 'uint8' },
      { name: 'r', internalType: 'bytes32', type: 'bytes32' },
      { name: 's', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'transferWithAuthorization',
    outputs: [],
    stateMutability: 'nonpayable',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'owner',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'spender',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'value',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Approval',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'authorizer',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'nonce',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
    ],
    name: 'AuthorizationCanceled',
  },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      {
        name: 'authorizer',
        internalType: 'address',
        type: 'address',
        indexed: true,
      },
      {
        name: 'nonce',
        internalType: 'bytes32',
        type: 'bytes32',
        indexed: true,
      },
    ],
    name: 'AuthorizationUsed',
  },
  { type: 'event', anonymous: false, inputs: [], name: 'EIP712DomainChanged' },
  {
    type: 'event',
    anonymous: false,
    inputs: [
      { name: 'from', internalType: 'address', type: 'address', indexed: true },
      { name: 'to', internalType: 'address', type: 'address', indexed: true },
      {
        name: 'value',
        internalType: 'uint256',
        type: 'uint256',
        indexed: false,
      },
    ],
    name: 'Transfer',
  },
  { type: 'error', inputs: [], name: 'ECDSAInvalidSignature' },
  {
    type: 'error',
    inputs: [{ name: 'length', internalType: 'uint256', type: 'uint256' }],
    name: 'ECDSAInvalidSignatureLength',
  },
  {
    type: 'error',
    inputs: [{ name: 's', internalType: 'bytes32', type: 'bytes32' }],
    name: 'ECDSAInvalidSignatureS',
  },
  {
    type: 'error',
    inputs: [
      { name: 'spender', internalType: 'address', type: 'address' },
      { name: 'allowance', internalType: 'uint256', type: 'uint256' },
      { name: 'needed', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC20InsufficientAllowance',
  },
  {
    type: 'error',
    inputs: [
      { name: 'sender', internalType: 'address', type: 'address' },
      { name: 'balance', internalType: 'uint256', type: 'uint256' },
      { name: 'needed', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC20InsufficientBalance',
  },
  {
    type: 'error',
    inputs: [{ name: 'approver', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidApprover',
  },
  {
    type: 'error',
    inputs: [{ name: 'receiver', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidReceiver',
  },
  {
    type: 'error',
    inputs: [{ name: 'sender', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidSender',
  },
  {
    type: 'error',
    inputs: [{ name: 'spender', internalType: 'address', type: 'address' }],
    name: 'ERC20InvalidSpender',
  },
  {
    type: 'error',
    inputs: [{ name: 'deadline', internalType: 'uint256', type: 'uint256' }],
    name: 'ERC2612ExpiredSignature',
  },
  {
    type: 'error',
    inputs: [
      { name: 'signer', internalType: 'address', type: 'address' },
      { name: 'owner', internalType: 'address', type: 'address' },
    ],
    name: 'ERC2612InvalidSigner',
  },
  {
    type: 'error',
    inputs: [
      { name: 'validAfter', internalType: 'uint256', type: 'uint256' },
      { name: 'validBefore', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'ERC3009InvalidAuthorizationTime',
  },
  { type: 'error', inputs: [], name: 'ERC3009InvalidSignature' },
  {
    type: 'error',
    inputs: [
      { name: 'authorizer', internalType: 'address', type: 'address' },
      { name: 'nonce', internalType: 'bytes32', type: 'bytes32' },
    ],
    name: 'ERC3009UsedAuthorization',
  },
  {
    type: 'error',
    inputs: [
      { name: 'account', internalType: 'address', type: 'address' },
      { name: 'currentNonce', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'InvalidAccountNonce',
  },
  { type: 'error', inputs: [], name: 'InvalidShortString' },
  {
    type: 'error',
    inputs: [
      { name: 'bits', internalType: 'uint8', type: 'uint8' },
      { name: 'value', internalType: 'uint256', type: 'uint256' },
    ],
    name: 'SafeCastOverflowedUintDowncast',
  },
  {
    type: 'error',
    inputs: [{ name: 'str', internalType: 'string', type: 'string' }],
    name: 'StringTooLong',
  },
] as const

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// generated-banner
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////
// solidity-enums
//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////

/** `enum JobMode` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const jobModeNames = ['Claim', 'Auction', 'Direct', 'Pool'] as const

/** `enum JobMode` as the indexer and the GraphQL API spell it, indexed by value. */
export const jobModeKeys = ['CLAIM', 'AUCTION', 'DIRECT', 'POOL'] as const

/** `enum JobStatus` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const jobStatusNames = [
  'None',
  'Open',
  'Assigned',
  'Submitted',
  'Disputed',
  'Closed',
] as const

/** `enum JobStatus` as the indexer and the GraphQL API spell it, indexed by value. */
export const jobStatusKeys = [
  'NONE',
  'OPEN',
  'ASSIGNED',
  'SUBMITTED',
  'DISPUTED',
  'CLOSED',
] as const

/** `enum CloseReason` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const closeReasonNames = [
  'None',
  'Completed',
  'Cancelled',
  'Expired',
  'Reclaimed',
  'DisputeResolved',
  'ArbitrationTimedOut',
  'Returned',
] as const

/** `enum CloseReason` as the indexer and the GraphQL API spell it, indexed by value. */
export const closeReasonKeys = [
  'NONE',
  'COMPLETED',
  'CANCELLED',
  'EXPIRED',
  'RECLAIMED',
  'DISPUTE_RESOLVED',
  'ARBITRATION_TIMED_OUT',
  'RETURNED',
] as const

/** `enum ReplicatedStatus` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const replicatedStatusNames = ['None', 'Running', 'Closed'] as const

/** `enum ReplicatedStatus` as the indexer and the GraphQL API spell it, indexed by value. */
export const replicatedStatusKeys = ['NONE', 'RUNNING', 'CLOSED'] as const

/** `enum ReplicatedOutcome` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const replicatedOutcomeNames = [
  'None',
  'QuorumReached',
  'NoQuorum',
  'ExpiredUnfilled',
  'Cancelled',
] as const

/** `enum ReplicatedOutcome` as the indexer and the GraphQL API spell it, indexed by value. */
export const replicatedOutcomeKeys = [
  'NONE',
  'QUORUM_REACHED',
  'NO_QUORUM',
  'EXPIRED_UNFILLED',
  'CANCELLED',
] as const

/** `enum SlotState` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const slotStateNames = [
  'Empty',
  'Taken',
  'Committed',
  'Revealed',
] as const

/** `enum SlotState` as the indexer and the GraphQL API spell it, indexed by value. */
export const slotStateKeys = [
  'EMPTY',
  'TAKEN',
  'COMMITTED',
  'REVEALED',
] as const

/** `enum ModelKind` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const modelKindNames = ['Weights', 'Dataset', 'Image'] as const

/** `enum ModelKind` as the indexer and the GraphQL API spell it, indexed by value. */
export const modelKindKeys = ['WEIGHTS', 'DATASET', 'IMAGE'] as const

/** `enum PoolMemberState` (contracts/src/interfaces/ILoomTypes.sol): member names, indexed by value. */
export const poolMemberStateNames = [
  'None',
  'Requested',
  'Member',
  'Leaving',
] as const

/** `enum PoolMemberState` as the indexer and the GraphQL API spell it, indexed by value. */
export const poolMemberStateKeys = [
  'NONE',
  'REQUESTED',
  'MEMBER',
  'LEAVING',
] as const
