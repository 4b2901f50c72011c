// Imported first by a test file: the Azure SDK reads AZURE_LOG_LEVEL once, when its logger
// module first loads, which happens while later imports are evaluated.
process.env['AZURE_LOG_LEVEL'] = 'verbose';
